import { AFTER, connectionType, DateTime, FIRST, graphqlEnum } from '@radiata/service-runtime';
import { ArgsType, Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import type { ProductSort as ProductSortName } from '../domain/product-search.js';
import type {
  Color as ColorName,
  Gender as GenderName,
  ProductStatus as ProductStatusName,
  Size as SizeName,
} from '../generated/prisma/client.js';
import { Brand } from './brand.js';
import { Category } from './category.js';

export const Gender = graphqlEnum<GenderName>('Gender', 'Who a product is made for.', {
  ALL: 'Unisex: also listed under MAN and WOMAN.',
  MAN: 'For men.',
  WOMAN: 'For women.',
});

export const Color = graphqlEnum<ColorName>('Color', "A product's main color.", {
  RED: 'Red.',
  ORANGE: 'Orange.',
  YELLOW: 'Yellow.',
  GREEN: 'Green.',
  BLUE: 'Blue.',
  NAVY: 'Navy blue.',
  PURPLE: 'Purple.',
});

export const Size = graphqlEnum<SizeName>('Size', "A product's size.", {
  SMALL: 'Small (S).',
  MEDIUM: 'Medium (M).',
  LARGE: 'Large (L).',
  FREE: 'One size fits all (free size).',
});

export const ProductStatus = graphqlEnum<ProductStatusName>(
  'ProductStatus',
  'Whether a product is listed and can be bought.',
  {
    ON_SALE: 'Listed and in stock: shoppers can buy it.',
    SOLD_OUT: 'No stock left; back ON_SALE when restocked.',
    HIDDEN: "Seen only by the brand's owner and admins.",
  },
);

export const ProductSort = graphqlEnum<ProductSortName>('ProductSort', 'The order of a product listing.', {
  NEWEST: 'Most recently created first.',
  PRICE_ASC: 'Lowest salePrice first.',
  PRICE_DESC: 'Highest salePrice first.',
});

@Directive('@key(fields: "id")')
@ObjectType({ description: 'Something a brand sells, with its price, attributes and stock.' })
export class Product {
  @Field(() => ID, { description: 'The product id.' })
  id!: string;

  @Field(() => Brand, { description: 'The brand that sells it.' })
  brand!: Brand;

  @Field(() => Category, { description: 'The category it is listed under.' })
  category!: Category;

  @Field(() => String, { description: 'The product name (1 to 200 characters).' })
  name!: string;

  @Field(() => String, { description: 'Text for the product page (at most 5,000 characters; empty when none).' })
  description!: string;

  @Field(() => Int, { description: 'Regular price in won.' })
  price!: number;

  @Field(() => Int, { description: "The product's own standing discount in won (0 ≤ discount < price)." })
  discountAmount!: number;

  @Field(() => Int, {
    description: 'price − discountAmount, in won: what a shopper pays before time sales, coupons and points.',
  })
  salePrice!: number;

  @Field(() => Gender, { description: 'Who it is made for.' })
  gender!: GenderName;

  @Field(() => Color, { description: 'Its main color.' })
  color!: ColorName;

  @Field(() => Size, { description: 'Its size.' })
  size!: SizeName;

  @Field(() => ProductStatus, { description: 'Whether it is on sale, sold out or hidden.' })
  status!: ProductStatusName;

  @Field(() => Int, { description: 'Units in stock; never negative.' })
  stockQuantity!: number;

  @Field(() => DateTime, { description: 'When it was created.' })
  createdAt!: Date;

  @Field(() => DateTime, { description: 'When it last changed.' })
  updatedAt!: Date;
}

export const ProductConnection = connectionType(Product, { noun: 'product' });

@InputType({ description: 'Which products to list: every condition given must hold. Invalid values: BAD_USER_INPUT.' })
export class ProductFilter {
  @Field(() => ID, { nullable: true, description: "Only this brand's products." })
  brandId?: string | null;

  @Field(() => ID, { nullable: true, description: 'The category and every category below it.' })
  categoryId?: string | null;

  @Field(() => Gender, { nullable: true, description: 'MAN or WOMAN also match unisex (ALL) products.' })
  gender?: GenderName | null;

  @Field(() => Color, { nullable: true, description: 'Only products of this color.' })
  color?: ColorName | null;

  @Field(() => Size, { nullable: true, description: 'Only products of this size.' })
  size?: SizeName | null;

  @Field(() => Int, { nullable: true, description: 'Lower bound on salePrice in won, inclusive.' })
  minPrice?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Upper bound on salePrice in won, inclusive; not below minPrice.',
  })
  maxPrice?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'Case-insensitive substring of the name (at most 100 characters; % and _ match themselves).',
  })
  query?: string | null;

  @Field(() => [ProductStatus], {
    nullable: true,
    description: 'Default: ON_SALE and SOLD_OUT (HIDDEN only for the owner and admins).',
  })
  status?: ProductStatusName[] | null;
}

@InputType({ description: 'A new product of a brand.' })
export class CreateProductInput {
  @Field(() => ID, { description: 'The brand that sells it: the caller must be its owner or an ADMIN.' })
  brandId!: string;

  @Field(() => ID, { description: 'The category it is listed under (BAD_USER_INPUT when there is none).' })
  categoryId!: string;

  @Field(() => String, { description: 'The product name: 1 to 200 characters.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Text for the product page: at most 5,000 characters.' })
  description?: string | null;

  @Field(() => Int, { description: 'Regular price in won: 1 to 1,000,000,000.' })
  price!: number;

  @Field(() => Int, { nullable: true, description: 'Standing discount in won, below the price. Default 0.' })
  discountAmount?: number | null;

  @Field(() => Gender, { description: 'Who it is made for.' })
  gender!: GenderName;

  @Field(() => Color, { description: 'Its main color.' })
  color!: ColorName;

  @Field(() => Size, { description: 'Its size.' })
  size!: SizeName;

  @Field(() => Int, { description: 'Units in stock: 0 to 10,000,000.' })
  stockQuantity!: number;

  @Field(() => ProductStatus, {
    nullable: true,
    description: 'ON_SALE (default; SOLD_OUT when stock is 0) or HIDDEN.',
  })
  status?: ProductStatusName | null;
}

@InputType({ description: 'Only the fields given change.' })
export class UpdateProductInput {
  @Field(() => ID, { nullable: true, description: 'Another category (BAD_USER_INPUT when there is none).' })
  categoryId?: string | null;

  @Field(() => String, { nullable: true, description: 'The product name: 1 to 200 characters.' })
  name?: string | null;

  @Field(() => String, { nullable: true, description: 'Text for the product page: at most 5,000 characters.' })
  description?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Regular price in won: 1 to 1,000,000,000, above the discount.',
  })
  price?: number | null;

  @Field(() => Int, { nullable: true, description: 'Standing discount in won, below the price.' })
  discountAmount?: number | null;

  @Field(() => Gender, { nullable: true, description: 'Who it is made for.' })
  gender?: GenderName | null;

  @Field(() => Color, { nullable: true, description: 'Its main color.' })
  color?: ColorName | null;

  @Field(() => Size, { nullable: true, description: 'Its size.' })
  size?: SizeName | null;

  @Field(() => ProductStatus, { nullable: true, description: 'ON_SALE or HIDDEN; SOLD_OUT follows the stock.' })
  status?: ProductStatusName | null;
}

@ArgsType()
export class ProductsArgs {
  @Field(() => ProductFilter, {
    nullable: true,
    description: 'Which products; every live product the viewer may see when omitted.',
  })
  filter?: ProductFilter | null;

  @Field(() => ProductSort, { nullable: true, defaultValue: ProductSort.NEWEST, description: 'The order.' })
  sort?: ProductSortName | null;

  @Field(() => Int, FIRST)
  first?: number | null;

  @Field(() => String, AFTER)
  after?: string | null;
}

@ArgsType()
export class UpdateProductArgs {
  @Field(() => ID, { description: 'The product id (NOT_FOUND when there is no such live product).' })
  id!: string;

  @Field(() => UpdateProductInput, { description: 'The changes.' })
  input!: UpdateProductInput;
}

@ArgsType()
export class AdjustStockArgs {
  @Field(() => ID, { description: 'The product id (NOT_FOUND when there is no such live product).' })
  productId!: string;

  @Field(() => Int, {
    description: 'Units to add (negative: to remove); not zero, at most 10,000,000 either way.',
  })
  delta!: number;
}
