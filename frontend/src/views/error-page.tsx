import { h } from './html';
export function ErrorPage(props: {
  status: number;
  title: string;
  message: string;
  requestId: string;
}) {
  return (
    <section class="panel panel--narrow error-page">
      <p class="error-page__status">{props.status}</p>
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      <p class="muted">
        <a href="/">Go to the home page</a>
      </p>
      <p class="muted small">Reference: {props.requestId}</p>
    </section>
  );
}
