import { subgraphCodegen } from '../../codegen.base';

export default subgraphCodegen('../context.js#TimesalesContext', {
  TimeSale: '../domain/time-sales.js#TimeSaleRecord',
  TimeSaleProduct: '../domain/sale-products.js#TimeSaleProductRecord',
  Product: '../domain/catalog-projection.js#ProductReference',
});
