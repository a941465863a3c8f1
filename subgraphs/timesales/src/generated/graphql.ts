import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { TimeSaleRecord } from '../domain/time-sales.js';
import type { TimeSaleProductRecord } from '../domain/sale-products.js';
import type { ProductReference } from '../domain/catalog-projection.js';
import type { LowestPriceRecord } from '../domain/lowest-price.js';
import type { PriceChangeRecord } from '../domain/price-feed.js';
import type { CountdownSnapshot } from '../domain/countdown.js';
import type { TimesalesContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant in time, ISO-8601 in UTC (e.g. 2026-11-25T03:00:00.000Z). */
  DateTime: { input: Date; output: Date; }
  _FieldSet: { input: any; output: any; }
};

export type CreateTimeSaleInput = {
  endAt: Scalars['DateTime']['input'];
  products?: InputMaybe<Array<TimeSaleProductInput>>;
  /** In the future, before endAt. */
  startAt: Scalars['DateTime']['input'];
  /** 1 to 100 characters. */
  title: Scalars['String']['input'];
};

/** A product's lowest price right now. */
export type LowestPrice = {
  __typename?: 'LowestPrice';
  /** In won. */
  amount: Scalars['Int']['output'];
  /** Percent off the regular price, rounded down; null when nothing is off. */
  discountRate: Maybe<Scalars['Int']['output']>;
  /** The product's regular price in won. */
  regularPrice: Scalars['Int']['output'];
  source: PriceSource;
  /** The sale giving this price (TIME_SALE only). */
  timeSale: Maybe<TimeSale>;
  /** Until when this price holds: the end of the winning sale product's selling window (TIME_SALE only). */
  validUntil: Maybe<Scalars['DateTime']['output']>;
};

/** A product's new lowest price. */
export type LowestPriceChange = {
  __typename?: 'LowestPriceChange';
  /** Null: the product is unknown (see Product.lowestPrice). */
  lowestPrice: Maybe<LowestPrice>;
  product: Product;
  productId: Scalars['ID']['output'];
};

/**
 * ADMIN, or a SELLER who owns the brand of every product in the sale (an empty sale: its creator).
 * A product at most in one sale at any instant (CONFLICT otherwise).
 */
export type Mutation = {
  __typename?: 'Mutation';
  /** Not once the sale has ended (CONFLICT). The SELLER must also own the product's brand. */
  addTimeSaleProduct: TimeSaleProduct;
  createTimeSale: TimeSale;
  /** Soft delete, only before the sale starts (CONFLICT afterwards). */
  deleteTimeSale: Scalars['Boolean']['output'];
  updateTimeSale: TimeSale;
  updateTimeSaleProduct: TimeSaleProduct;
};


/**
 * ADMIN, or a SELLER who owns the brand of every product in the sale (an empty sale: its creator).
 * A product at most in one sale at any instant (CONFLICT otherwise).
 */
export type MutationAddTimeSaleProductArgs = {
  input: TimeSaleProductInput;
  timeSaleId: Scalars['ID']['input'];
};


/**
 * ADMIN, or a SELLER who owns the brand of every product in the sale (an empty sale: its creator).
 * A product at most in one sale at any instant (CONFLICT otherwise).
 */
export type MutationCreateTimeSaleArgs = {
  input: CreateTimeSaleInput;
};


/**
 * ADMIN, or a SELLER who owns the brand of every product in the sale (an empty sale: its creator).
 * A product at most in one sale at any instant (CONFLICT otherwise).
 */
export type MutationDeleteTimeSaleArgs = {
  id: Scalars['ID']['input'];
};


/**
 * ADMIN, or a SELLER who owns the brand of every product in the sale (an empty sale: its creator).
 * A product at most in one sale at any instant (CONFLICT otherwise).
 */
export type MutationUpdateTimeSaleArgs = {
  id: Scalars['ID']['input'];
  input: UpdateTimeSaleInput;
};


/**
 * ADMIN, or a SELLER who owns the brand of every product in the sale (an empty sale: its creator).
 * A product at most in one sale at any instant (CONFLICT otherwise).
 */
export type MutationUpdateTimeSaleProductArgs = {
  id: Scalars['ID']['input'];
  input: UpdateTimeSaleProductInput;
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** Where a product's lowest price comes from. */
export type PriceSource =
  /** The product's own standing discount. */
  | 'PRODUCT_DISCOUNT'
  /** The regular price: no discount. */
  | 'REGULAR'
  /** A time sale selling now. */
  | 'TIME_SALE';

/** A catalog product; the timesales subgraph adds its sales. */
export type Product = {
  __typename?: 'Product';
  /** The sale offer a shopper can buy right now: selling at this instant with quantity left (null: none). */
  activeTimeSale: Maybe<TimeSaleProduct>;
  id: Scalars['ID']['output'];
  /**
   * The lowest price a shopper can pay right now, before coupons and points: the regular price, the
   * product's own discount or a time sale selling now with quantity left, whichever is lowest (a tie
   * goes to the product's own price). Null while the timesales subgraph has not heard of the product
   * from the catalog's events (moments after it is created), and after the catalog deleted it.
   */
  lowestPrice: Maybe<LowestPrice>;
  /** Sales the product is in that have not ended, soonest first. */
  timeSales: Array<TimeSale>;
};

export type Query = {
  __typename?: 'Query';
  timeSale: Maybe<TimeSale>;
  /** By startAt, soonest first. */
  timeSales: TimeSaleConnection;
};


export type QueryTimeSaleArgs = {
  id: Scalars['ID']['input'];
};


export type QueryTimeSalesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  status?: InputMaybe<TimeSaleStatus>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Live lowest prices of 1 to 100 products (BAD_USER_INPUT otherwise): first the current one of
   * each product, then one event per change, from any replica.
   */
  lowestPriceChanged: LowestPriceChange;
  /**
   * A sale's countdown: an event at once, then on every whole second of the wall clock, and at once
   * when its status changes (started, sold out, live again, ended). Completes after the ENDED event
   * (or when the sale is deleted). NOT_FOUND for an unknown sale.
   */
  timeSaleCountdown: TimeSaleCountdown;
};


export type SubscriptionLowestPriceChangedArgs = {
  productIds: Array<Scalars['ID']['input']>;
};


export type SubscriptionTimeSaleCountdownArgs = {
  timeSaleId: Scalars['ID']['input'];
};

/** A time-limited sale: discounted products, each with a limited quantity. */
export type TimeSale = {
  __typename?: 'TimeSale';
  createdAt: Scalars['DateTime']['output'];
  endAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** In the order they were added. */
  products: Array<TimeSaleProduct>;
  startAt: Scalars['DateTime']['output'];
  /** From the service clock and the remaining quantities. */
  status: TimeSaleStatus;
  title: Scalars['String']['output'];
};

export type TimeSaleConnection = {
  __typename?: 'TimeSaleConnection';
  edges: Array<TimeSaleEdge>;
  pageInfo: PageInfo;
};

/** Where a time sale stands, once a second. */
export type TimeSaleCountdown = {
  __typename?: 'TimeSaleCountdown';
  /** The instant this event describes. */
  at: Scalars['DateTime']['output'];
  /** What is left of every product of the sale together (live). */
  remainingQuantity: Scalars['Int']['output'];
  /** Whole seconds until endAt, rounded up; 0 once ended. */
  secondsUntilEnd: Scalars['Int']['output'];
  /** Whole seconds until startAt, rounded up; 0 once started. */
  secondsUntilStart: Scalars['Int']['output'];
  status: TimeSaleStatus;
  timeSaleId: Scalars['ID']['output'];
};

export type TimeSaleEdge = {
  __typename?: 'TimeSaleEdge';
  cursor: Scalars['String']['output'];
  node: TimeSale;
};

/** A product in a time sale, with its discount and quantity. */
export type TimeSaleProduct = {
  __typename?: 'TimeSaleProduct';
  /** Percent off the product's regular price, 1 to 99. */
  discountRate: Scalars['Int']['output'];
  endAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Most one shopper may hold at once; null: no limit. */
  perUserLimit: Maybe<Scalars['Int']['output']>;
  product: Product;
  /** totalQuantity − soldQuantity (live). */
  remainingQuantity: Scalars['Int']['output'];
  /** Held by orders (live). */
  soldQuantity: Scalars['Int']['output'];
  /** When this product sells: the sale's window, or a narrower one of its own. */
  startAt: Scalars['DateTime']['output'];
  timeSale: TimeSale;
  totalQuantity: Scalars['Int']['output'];
};

export type TimeSaleProductInput = {
  /** 1 to 99 (%). */
  discountRate: Scalars['Int']['input'];
  endAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** At least 1; absent or null: no limit. */
  perUserLimit?: InputMaybe<Scalars['Int']['input']>;
  /** A catalog product (BAD_USER_INPUT while the timesales subgraph has not heard of it). */
  productId: Scalars['ID']['input'];
  /** A narrower window inside the sale's; absent: the sale's. */
  startAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** At least 1. */
  totalQuantity: Scalars['Int']['input'];
};

export type TimeSaleStatus =
  /** From endAt on. */
  | 'ENDED'
  /** From startAt (inclusive) to endAt (exclusive), with quantity left. */
  | 'LIVE'
  /** Before startAt. */
  | 'SCHEDULED'
  /** Live, but every product of the sale is sold out (LIVE again if an order gives quantity back). */
  | 'SOLD_OUT';

/** Only the fields given change. Once the sale has started only title and a later endAt; never after it ended. */
export type UpdateTimeSaleInput = {
  endAt?: InputMaybe<Scalars['DateTime']['input']>;
  startAt?: InputMaybe<Scalars['DateTime']['input']>;
  title?: InputMaybe<Scalars['String']['input']>;
};

/**
 * Only the fields given change (null perUserLimit removes the limit; null startAt or endAt follows the
 * sale's). Once the product sells, only changes that cannot hurt shoppers: a higher discountRate, a
 * totalQuantity not below what is sold, a higher or no perUserLimit, a later endAt.
 */
export type UpdateTimeSaleProductInput = {
  discountRate?: InputMaybe<Scalars['Int']['input']>;
  endAt?: InputMaybe<Scalars['DateTime']['input']>;
  perUserLimit?: InputMaybe<Scalars['Int']['input']>;
  startAt?: InputMaybe<Scalars['DateTime']['input']>;
  totalQuantity?: InputMaybe<Scalars['Int']['input']>;
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = ResolversObject<{
  Product: Product;
  TimeSale: TimeSale;
  TimeSaleProduct: TimeSaleProduct;
}>;

/** Mapping of federation reference types */
export type FederationReferenceTypes = ResolversObject<{
  Product:
    ( { __typename: 'Product' }
    & GraphQLRecursivePick<FederationTypes['Product'], {"id":true}> );
  TimeSale:
    ( { __typename: 'TimeSale' }
    & GraphQLRecursivePick<FederationTypes['TimeSale'], {"id":true}> );
  TimeSaleProduct:
    ( { __typename: 'TimeSaleProduct' }
    & GraphQLRecursivePick<FederationTypes['TimeSaleProduct'], {"id":true}> );
}>;



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  CreateTimeSaleInput: CreateTimeSaleInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  LowestPrice: ResolverTypeWrapper<LowestPriceRecord>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  LowestPriceChange: ResolverTypeWrapper<PriceChangeRecord>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  PriceSource: PriceSource;
  Product: ResolverTypeWrapper<ProductReference>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TimeSale: ResolverTypeWrapper<TimeSaleRecord>;
  TimeSaleConnection: ResolverTypeWrapper<Omit<TimeSaleConnection, 'edges'> & { edges: Array<ResolversTypes['TimeSaleEdge']> }>;
  TimeSaleCountdown: ResolverTypeWrapper<CountdownSnapshot>;
  TimeSaleEdge: ResolverTypeWrapper<Omit<TimeSaleEdge, 'node'> & { node: ResolversTypes['TimeSale'] }>;
  TimeSaleProduct: ResolverTypeWrapper<TimeSaleProductRecord>;
  TimeSaleProductInput: TimeSaleProductInput;
  TimeSaleStatus: TimeSaleStatus;
  UpdateTimeSaleInput: UpdateTimeSaleInput;
  UpdateTimeSaleProductInput: UpdateTimeSaleProductInput;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  CreateTimeSaleInput: CreateTimeSaleInput;
  String: Scalars['String']['output'];
  DateTime: Scalars['DateTime']['output'];
  LowestPrice: LowestPriceRecord;
  Int: Scalars['Int']['output'];
  LowestPriceChange: PriceChangeRecord;
  ID: Scalars['ID']['output'];
  Mutation: Record<PropertyKey, never>;
  Boolean: Scalars['Boolean']['output'];
  PageInfo: PageInfo;
  Product: ProductReference;
  Query: Record<PropertyKey, never>;
  Subscription: Record<PropertyKey, never>;
  TimeSale: TimeSaleRecord;
  TimeSaleConnection: Omit<TimeSaleConnection, 'edges'> & { edges: Array<ResolversParentTypes['TimeSaleEdge']> };
  TimeSaleCountdown: CountdownSnapshot;
  TimeSaleEdge: Omit<TimeSaleEdge, 'node'> & { node: ResolversParentTypes['TimeSale'] };
  TimeSaleProduct: TimeSaleProductRecord;
  TimeSaleProductInput: TimeSaleProductInput;
  UpdateTimeSaleInput: UpdateTimeSaleInput;
  UpdateTimeSaleProductInput: UpdateTimeSaleProductInput;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type LowestPriceResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['LowestPrice'] = ResolversParentTypes['LowestPrice']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  discountRate?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  regularPrice?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['PriceSource'], ParentType, ContextType>;
  timeSale?: Resolver<Maybe<ResolversTypes['TimeSale']>, ParentType, ContextType>;
  validUntil?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
}>;

export type LowestPriceChangeResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['LowestPriceChange'] = ResolversParentTypes['LowestPriceChange']> = ResolversObject<{
  lowestPrice?: Resolver<Maybe<ResolversTypes['LowestPrice']>, ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  productId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type MutationResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  addTimeSaleProduct?: Resolver<ResolversTypes['TimeSaleProduct'], ParentType, ContextType, RequireFields<MutationAddTimeSaleProductArgs, 'input' | 'timeSaleId'>>;
  createTimeSale?: Resolver<ResolversTypes['TimeSale'], ParentType, ContextType, RequireFields<MutationCreateTimeSaleArgs, 'input'>>;
  deleteTimeSale?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteTimeSaleArgs, 'id'>>;
  updateTimeSale?: Resolver<ResolversTypes['TimeSale'], ParentType, ContextType, RequireFields<MutationUpdateTimeSaleArgs, 'id' | 'input'>>;
  updateTimeSaleProduct?: Resolver<ResolversTypes['TimeSaleProduct'], ParentType, ContextType, RequireFields<MutationUpdateTimeSaleProductArgs, 'id' | 'input'>>;
}>;

export type PageInfoResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = ResolversObject<{
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product'], FederationReferenceType extends FederationReferenceTypes['Product'] = FederationReferenceTypes['Product']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Product']> | FederationReferenceType, FederationReferenceType, ContextType>;
  activeTimeSale?: Resolver<Maybe<ResolversTypes['TimeSaleProduct']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lowestPrice?: Resolver<Maybe<ResolversTypes['LowestPrice']>, ParentType, ContextType>;
  timeSales?: Resolver<Array<ResolversTypes['TimeSale']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  timeSale?: Resolver<Maybe<ResolversTypes['TimeSale']>, ParentType, ContextType, RequireFields<QueryTimeSaleArgs, 'id'>>;
  timeSales?: Resolver<ResolversTypes['TimeSaleConnection'], ParentType, ContextType, RequireFields<QueryTimeSalesArgs, 'first'>>;
}>;

export type SubscriptionResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  lowestPriceChanged?: SubscriptionResolver<ResolversTypes['LowestPriceChange'], "lowestPriceChanged", ParentType, ContextType, RequireFields<SubscriptionLowestPriceChangedArgs, 'productIds'>>;
  timeSaleCountdown?: SubscriptionResolver<ResolversTypes['TimeSaleCountdown'], "timeSaleCountdown", ParentType, ContextType, RequireFields<SubscriptionTimeSaleCountdownArgs, 'timeSaleId'>>;
}>;

export type TimeSaleResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['TimeSale'] = ResolversParentTypes['TimeSale'], FederationReferenceType extends FederationReferenceTypes['TimeSale'] = FederationReferenceTypes['TimeSale']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['TimeSale']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  endAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  products?: Resolver<Array<ResolversTypes['TimeSaleProduct']>, ParentType, ContextType>;
  startAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['TimeSaleStatus'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type TimeSaleConnectionResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['TimeSaleConnection'] = ResolversParentTypes['TimeSaleConnection']> = ResolversObject<{
  edges?: Resolver<Array<ResolversTypes['TimeSaleEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
}>;

export type TimeSaleCountdownResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['TimeSaleCountdown'] = ResolversParentTypes['TimeSaleCountdown']> = ResolversObject<{
  at?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  remainingQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  secondsUntilEnd?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  secondsUntilStart?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['TimeSaleStatus'], ParentType, ContextType>;
  timeSaleId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
}>;

export type TimeSaleEdgeResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['TimeSaleEdge'] = ResolversParentTypes['TimeSaleEdge']> = ResolversObject<{
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['TimeSale'], ParentType, ContextType>;
}>;

export type TimeSaleProductResolvers<ContextType = TimesalesContext, ParentType extends ResolversParentTypes['TimeSaleProduct'] = ResolversParentTypes['TimeSaleProduct'], FederationReferenceType extends FederationReferenceTypes['TimeSaleProduct'] = FederationReferenceTypes['TimeSaleProduct']> = ResolversObject<{
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['TimeSaleProduct']> | FederationReferenceType, FederationReferenceType, ContextType>;
  discountRate?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  endAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  perUserLimit?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
  product?: Resolver<ResolversTypes['Product'], ParentType, ContextType>;
  remainingQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  soldQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  startAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  timeSale?: Resolver<ResolversTypes['TimeSale'], ParentType, ContextType>;
  totalQuantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = TimesalesContext> = ResolversObject<{
  DateTime?: GraphQLScalarType;
  LowestPrice?: LowestPriceResolvers<ContextType>;
  LowestPriceChange?: LowestPriceChangeResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  TimeSale?: TimeSaleResolvers<ContextType>;
  TimeSaleConnection?: TimeSaleConnectionResolvers<ContextType>;
  TimeSaleCountdown?: TimeSaleCountdownResolvers<ContextType>;
  TimeSaleEdge?: TimeSaleEdgeResolvers<ContextType>;
  TimeSaleProduct?: TimeSaleProductResolvers<ContextType>;
}>;

