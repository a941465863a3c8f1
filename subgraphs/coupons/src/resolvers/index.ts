import { DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from '../generated/graphql.js';
import { Coupon, CouponIssue, User } from './entities.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';

export const resolvers: Resolvers = { DateTime: DateTimeResolver, Query, Mutation, Coupon, CouponIssue, User };
