export interface GraphQLResponse<TData = Record<string, unknown>> {
  readonly status: number;
  readonly data?: TData | null;
  readonly errors?: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
  readonly headers: Headers;
}

export interface GraphQLRequestOptions {
  readonly variables?: Record<string, unknown>;
  /** Access token sent as `Authorization: Bearer`. */
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

/** POSTs one GraphQL operation the way a web app does, and returns status, body and headers. */
export async function graphql<TData = Record<string, unknown>>(
  url: string,
  query: string,
  options: GraphQLRequestOptions = {},
): Promise<GraphQLResponse<TData>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables ?? {} }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<TData>, 'status' | 'headers'>;
  return { status: response.status, headers: response.headers, ...body };
}
