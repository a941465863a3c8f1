import { DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from '../generated/graphql.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { PointAccount, User } from './user.js';

export const resolvers: Resolvers = { DateTime: DateTimeResolver, Query, Mutation, User, PointAccount };
