import { lazyComponent } from '../../ui/lazy-component';

/**
 * The trend's drawing, loaded with the charts library when the margins show. The Billing page's
 * code starts loading it for the margins tab (CurrentPage), so the two load side by side.
 */
export const LazyTrendPlot = lazyComponent(async () => (await import('./TrendPlot')).TrendPlot);
