import { subgraphCodegen } from '../../codegen.base';

export default subgraphCodegen('../context.js#CatalogContext', {
  Brand: '../domain/brands.js#BrandRecord',
  Category: '../domain/categories.js#CategoryRecord',
  Product: '../domain/products.js#ProductRecord',
  User: '../domain/brands.js#UserReference',
});
