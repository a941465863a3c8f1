// Lists a page at a time: each page is its own query, started after the cursor the page before
// ended on; "more" adds a page. At most 20 a page (the gateway's query cost limit counts `first`).
import { useCallback, useState } from 'react';

/** The cursors of the pages shown so far (null: the first page); `reset` starts again from the first. */
export function usePages() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const more = useCallback((cursor: string) => setCursors((pages) => [...pages, cursor]), []);
  const reset = useCallback(() => setCursors([null]), []);
  return { cursors, more, reset };
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
