import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';

/**
 * Apollo Server's cache-control plugin, which it installs by default, hooks every resolved field
 * (`willResolveField`): that turns on Apollo's per-field instrumentation, a wrapper, a cache
 * policy object and a callback for each field of each row, about a fifth of a subgraph's CPU for
 * a 100-product page. Without `@cacheControl` hints in the schema its only outcome is the header
 * `cache-control: no-store` on every response (the policy's default max-age is 0), which the
 * gateway reads as "uncacheable". So a schema without `@cacheControl` gets that header from a
 * per-response hook instead; one that declares the directive keeps Apollo's plugin.
 */
export function cacheControlPlugins(schema: GraphQLSchema): ApolloServerPlugin[] {
  if (schema.getDirective('cacheControl')) return [];
  return [ApolloServerPluginCacheControlDisabled(), uncacheableResponsesPlugin];
}

const uncacheableResponsesPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};
