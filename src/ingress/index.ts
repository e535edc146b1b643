// Ingress: IngressClass selection, the controller's view of the Ingresses (view.ts), ingress-nginx's
// annotations and nginx locations (nginx.ts), and a request's way through them (request.ts).
export * from './view';
export * from './request';
export { MODELLED_ANNOTATIONS, NGINX_PREFIX, parseAnnotations, normaliseUri, rewrite, decideCanary, buildLocations, matchLocation } from './nginx';
export { ingressStatus, type IngressStatus } from './status';
