/**
 * What became of the last action in a section: progress and success are announced politely,
 * an error as an alert, each in the words the service returned.
 */
export function StatusLine({ status, error }: { status: string | undefined; error: string | undefined }) {
  return (
    <>
      <p role="status" className="status-line">
        {status}
      </p>
      {error && (
        <p role="alert" className="field-error">
          {error}
        </p>
      )}
    </>
  );
}
