import { DateTimeResolver } from 'graphql-scalars';
import type { Resolvers } from '../generated/graphql.js';
import { LowestPrice, LowestPriceChange, Product, TimeSale, TimeSaleProduct } from './entities.js';
import { Mutation } from './mutation.js';
import { Query } from './query.js';
import { Subscription } from './subscription.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeResolver,
  Query,
  Mutation,
  Subscription,
  TimeSale,
  TimeSaleProduct,
  Product,
  LowestPrice,
  LowestPriceChange,
};
