import { subgraphCodegen } from '../../codegen.base';

export default subgraphCodegen('../context.js#TimesalesContext', {
  TimeSale: '../domain/time-sales.js#TimeSaleRecord',
  TimeSaleProduct: '../domain/sale-products.js#TimeSaleProductRecord',
  Product: '../domain/catalog-projection.js#ProductReference',
  LowestPrice: '../domain/lowest-price.js#LowestPriceRecord',
  LowestPriceChange: '../domain/price-feed.js#PriceChangeRecord',
  TimeSaleCountdown: '../domain/countdown.js#CountdownSnapshot',
});
