// Lists a page at a time: each page is its own query, started after the cursor the page before
// ended on; "more" adds a page. At most 20 a page (the gateway's query cost limit counts `first`).
import { Fragment, type ReactNode, useCallback, useState } from 'react';

/** The cursors of the pages shown so far (null: the first page); `reset` starts again from the first. */
export function usePages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const more = useCallback((cursor: string) => setCursors((pages) => [...pages, cursor]), []);
  const reset = useCallback(() => setCursors([null]), []);
  return { cursors, more, reset };
}

/** What each page of a PagedList is drawn with. */
export interface PageSlot {
  /** The cursor the page starts after (null: the first page). */
  readonly after: string | null;
  /** The last page so far: it shows the "more" button. */
  readonly isLast: boolean;
  readonly onMore: (cursor: string) => void;
}

/**
 * Every page shown so far in one card list, each drawn by `renderPage` (its own query). A new
 * `version` (a reload after a change) draws every page afresh.
 */
export function PagedList({
  pages,
  version = '',
  renderPage,
}: {
  readonly pages: ReturnType<typeof usePages>;
  readonly version?: string | number;
  readonly renderPage: (slot: PageSlot) => ReactNode;
}) {
  return (
    <ul className="card-list">
      {pages.cursors.map((after, index) => (
        <Fragment key={`${version}:${after ?? ''}`}>
          {renderPage({ after, isLast: index === pages.cursors.length - 1, onMore: pages.more })}
        </Fragment>
      ))}
    </ul>
  );
}

interface PageInfoLike {
  readonly hasNextPage: boolean;
  readonly endCursor?: string | null;
}

/** "Show more …" after the last page, when the API says another page follows. */
export function MoreButton({
  pageInfo,
  isLast,
  what,
  onMore,
}: {
  readonly pageInfo: PageInfoLike | undefined;
  readonly isLast: boolean;
  readonly what: string;
  readonly onMore: (cursor: string) => void;
}) {
  if (!isLast || !pageInfo?.hasNextPage || !pageInfo.endCursor) return null;
  const cursor = pageInfo.endCursor;
  return (
    <button type="button" className="more" onClick={() => onMore(cursor)}>
      Show more {what}
    </button>
  );
}
