// A page's first Intl object loads the locale data, 20-40 ms of the page's one thread on a busy
// machine. Loaded async, ahead of the app's code, this runs while the browser is still downloading
// that code, so the first screen's money, counts and months no longer wait for it.
new Intl.NumberFormat('en-US').format(0);
new Intl.DateTimeFormat('en-US', { timeZone: 'UTC' }).format(0);
