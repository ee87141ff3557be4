export function ReviewPage() {
  return (
    <section aria-labelledby="review-title">
      <h2 id="review-title">Weekly review</h2>
    </section>
  );
}
