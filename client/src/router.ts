import { createRouter, createWebHistory } from 'vue-router';

/**
 * The wall at `/`, the dispatcher console at `/console`, one patrol terminal per unit at `/patrol/:unitId`.
 * Created after `adoptDisplayLink` has taken a display token out of the address, so the router never
 * writes it back.
 */
export function createBeaconRouter() {
  return createRouter({
    history: createWebHistory(),
    routes: [
      { path: '/', name: 'wall', component: () => import('./views/WallView.vue') },
      { path: '/console', name: 'console', component: () => import('./views/ConsoleView.vue') },
      { path: '/patrol/:unitId', name: 'patrol', component: () => import('./views/PatrolView.vue'), props: true },
      { path: '/:pathMatch(.*)*', redirect: '/' },
    ],
  });
}
