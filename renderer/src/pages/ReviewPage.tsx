import { formatTime } from '../format';
import { dateStamp, download } from '../download';
import { toCsv, toMarkdown } from './review/export';
import { Incidents, Rankings, Summary, UptimeTable } from './review/ReviewSections';
import { useReview } from './review/useReview';
import './alerts/forms.css';
import './Review.css';

export function ReviewPage() {
  const { review, error, reload } = useReview();

  return (
    <section aria-labelledby="review-title" className="review-page">
      <h2 id="review-title">Weekly review</h2>
      {error && (
        <p role="alert" className="error-banner">
          {error}
        </p>
      )}
      <p role="status" className="muted">
        {review
          ? `The 7 days from ${formatTime(review.from)} to ${formatTime(review.to)}.`
          : !error && 'Loading the week…'}
      </p>
      {review && (
        <>
          <div className="actions">
            <button
              type="button"
              onClick={() =>
                download(`portwatch-review-${dateStamp(review.to)}.md`, toMarkdown(review), 'text/markdown')
              }
            >
              Download as Markdown
            </button>
            <button
              type="button"
              onClick={() => download(`portwatch-review-${dateStamp(review.to)}.csv`, toCsv(review), 'text/csv')}
            >
              Download as CSV
            </button>
            <button type="button" onClick={reload}>
              Refresh
            </button>
          </div>
          <Summary review={review} />
          <Incidents review={review} />
          <Rankings review={review} />
          <UptimeTable review={review} />
        </>
      )}
    </section>
  );
}
