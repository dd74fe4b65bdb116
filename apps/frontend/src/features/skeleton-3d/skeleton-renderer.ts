import {
  AmbientLight,
  Color,
  CylinderGeometry,
  DirectionalLight,
  GridHelper,
  Group,
  Mesh,
  MeshLambertMaterial,
  PerspectiveCamera,
  Quaternion,
  Scene,
  SphereGeometry,
  Vector3,
  WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { measureWorld, type WorldPerson } from './world-layout';

/** The overlay stage's colour (--stage in app.css), so the 3D view reads as the same kind of surface. */
const BACKGROUND = '#0d1117';
const JOINT_RADIUS_M = 0.025;
const BONE_RADIUS_M = 0.014;
const FIELD_OF_VIEW_DEG = 40;
const UP = new Vector3(0, 1, 0);

/**
 * The imperative part of the 3D view: one WebGL renderer, camera and OrbitControls per canvas, drawing on demand
 * (a new frame of people, a resize, a drag), never in a loop, so a paused video costs nothing.
 * preserveDrawingBuffer keeps the last frame readable, which is how the browser test checks the pixels.
 */
export class SkeletonRenderer {
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(FIELD_OF_VIEW_DEG, 1, 0.05, 100);
  private readonly controls: OrbitControls;
  private readonly people = new Group();
  private readonly floor = new GridHelper(6, 12, '#5a6472', '#2a313b');
  private readonly jointGeometry = new SphereGeometry(JOINT_RADIUS_M, 16, 12);
  // Unit height along y: each bone scales and turns one shared geometry.
  private readonly boneGeometry = new CylinderGeometry(BONE_RADIUS_M, BONE_RADIUS_M, 1, 10);
  private readonly materials = new Map<string, MeshLambertMaterial>();
  private isFramed = false;

  /** Throws when the browser cannot give a WebGL context (the view then says so). */
  constructor(canvas: HTMLCanvasElement) {
    this.renderer = new WebGLRenderer({ canvas, antialias: true, preserveDrawingBuffer: true });
    this.scene.background = new Color(BACKGROUND);
    const sun = new DirectionalLight('#ffffff', 1.6);
    sun.position.set(1, 2, 3);
    this.scene.add(new AmbientLight('#ffffff', 1.4), sun, this.floor, this.people);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.addEventListener('change', this.render);
  }

  setSize(width: number, height: number, pixelRatio: number): void {
    if (width <= 0 || height <= 0) return;
    this.renderer.setPixelRatio(pixelRatio);
    // false: CSS sizes the canvas; only the backing store follows it.
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.render();
  }

  /** Replaces the people drawn; the camera is aimed at the first people shown and then left to the user. */
  show(people: readonly WorldPerson[]): void {
    this.people.clear();
    for (const person of people) {
      const material = this.materialFor(person.colour);
      for (const joint of person.joints) {
        if (!joint) continue;
        const mesh = new Mesh(this.jointGeometry, material);
        mesh.position.set(joint.x, joint.y, joint.z);
        this.people.add(mesh);
      }
      for (const [from, to] of person.bones) {
        const start = new Vector3(from.x, from.y, from.z);
        const direction = new Vector3(to.x, to.y, to.z).sub(start);
        const length = direction.length();
        if (length === 0) continue;
        const mesh = new Mesh(this.boneGeometry, material);
        mesh.position.copy(start).addScaledVector(direction, 0.5);
        mesh.quaternion.copy(new Quaternion().setFromUnitVectors(UP, direction.normalize()));
        mesh.scale.set(1, length, 1);
        this.people.add(mesh);
      }
    }
    if (!this.isFramed) this.aim(people);
    this.render();
  }

  dispose(): void {
    this.controls.removeEventListener('change', this.render);
    this.controls.dispose();
    this.people.clear();
    this.jointGeometry.dispose();
    this.boneGeometry.dispose();
    this.floor.dispose();
    for (const material of this.materials.values()) material.dispose();
    this.renderer.dispose();
  }

  private readonly render = () => this.renderer.render(this.scene, this.camera);

  private aim(people: readonly WorldPerson[]): void {
    const bounds = measureWorld(people);
    if (!bounds) return;
    const { centre, radius, floorY } = bounds;
    // Far enough for the bounding sphere to fit the vertical field of view, from a little above and to the side.
    const distance = (radius / Math.sin(((FIELD_OF_VIEW_DEG / 2) * Math.PI) / 180)) * 1.15;
    const target = new Vector3(centre.x, centre.y, centre.z);
    this.camera.position.copy(target).add(new Vector3(0.35, 0.25, 1).normalize().multiplyScalar(distance));
    this.controls.target.copy(target);
    this.controls.update();
    this.floor.position.set(centre.x, floorY - JOINT_RADIUS_M, centre.z);
    this.isFramed = true;
  }

  private materialFor(colour: string): MeshLambertMaterial {
    let material = this.materials.get(colour);
    if (!material) {
      material = new MeshLambertMaterial({ color: colour });
      this.materials.set(colour, material);
    }
    return material;
  }
}
