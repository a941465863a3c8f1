/** Where to go after logging in: a path of this shop only (never another site: `//evil.example`). */
export function nextPath(search: URLSearchParams): string {
  const next = search.get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
