import type { ErrorDescription } from '../api-client/describe-api-error';

/** role=alert so screen readers announce the failure without the person having to find it. */
export function ErrorMessage({ error, onDismiss, children }: { error: ErrorDescription; onDismiss?: () => void; children?: React.ReactNode }) {
  return (
    <div className="error-message" role="alert">
      <p className="error-message__title">{error.title}</p>
      <p className="error-message__advice">{error.advice}</p>
      <div className="error-message__actions">
        {children}
        {onDismiss && (
          <button type="button" className="button button--quiet" onClick={onDismiss}>
            Dismiss
          </button>
        )}
      </div>
    </div>
  );
}
