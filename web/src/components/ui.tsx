// Small building blocks shared by the pages: labelled fields, error and status messages.
import { type InputHTMLAttributes, type ReactNode, useId } from 'react';
import type { Explained } from '../lib/errors';

interface FieldProps extends InputHTMLAttributes<HTMLInputElement> {
  readonly label: string;
  readonly error?: string | undefined;
  readonly hint?: string;
}

/** An input with its label, an optional hint, and its error announced with it. */
export function Field({ label, error, hint, id, ...input }: FieldProps) {
  const generated = useId();
  const inputId = id ?? generated;
  const hintId = `${inputId}-hint`;
  const errorId = `${inputId}-error`;
  const describedBy = [hint ? hintId : undefined, error ? errorId : undefined].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={inputId}>{label}</label>
      <input
        id={inputId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...input}
      />
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A failure, announced at once (role=alert). */
export function ErrorNotice({ error }: { readonly error: Explained | string | undefined }) {
  if (!error) return null;
  const message = typeof error === 'string' ? error : error.message;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

/** A polite live region: its text is read out when it changes. Always rendered, so changes are heard. */
export function LiveMessage({ children, className }: { readonly children?: ReactNode; readonly className?: string }) {
  return (
    <div className={className} role="status" aria-live="polite">
      {children}
    </div>
  );
}

export function Loading({ what }: { readonly what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}
