import { ROLES, type Role } from '@posestack/api-contracts';

/** Reads need a viewer; anything that changes state needs an editor, unless a route says otherwise. */
export function requiredRoleFor(method: string, routeRole: Role | undefined): Role {
  if (routeRole) return routeRole;
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? 'viewer' : 'editor';
}

export function hasRole(granted: Role, needed: Role): boolean {
  return ROLES.indexOf(granted) >= ROLES.indexOf(needed);
}
