import { createRouter, createWebHistory } from 'vue-router';

/**
 * The wall at `/`, the dispatcher console at `/console` (its printable daily report at `/console/report`), one patrol terminal per unit at `/patrol/:unitId`,
 * the time machine (the situation as of a past time, read-only) at `/asof`.
 * Created after `adoptDisplayLink` has taken a display token out of the address, so the router never
 * writes it back.
 */
export function createBeaconRouter() {
  return createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', name: 'wall', component: () => import('./views/WallView.vue') },
      { path: '/console', name: 'console', component: () => import('./views/ConsoleView.vue') },
      { path: '/console/report', name: 'report', component: () => import('./views/ReportView.vue') },
      { path: '/asof', name: 'asof', component: () => import('./views/AsOfView.vue') },
      { path: '/patrol/:unitId', name: 'patrol', component: () => import('./views/PatrolView.vue'), props: true },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  });
}
