export function EditorPage({ id }: { id: string | undefined }) {
  return (
    <section aria-labelledby="edit-title">
      <h2 id="edit-title">Edit monitor</h2>
      <p>{id}</p>
    </section>
  );
}
