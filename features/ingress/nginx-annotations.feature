Feature: ingress-nginx annotations: regex paths, rewrites, redirects and canaries
  ingress-nginx reads annotations under nginx.ingress.kubernetes.io/ (its annotations.md). netspec
  models the ones that decide where a request goes and what the backend receives:

  - use-regex "true": the paths are regular expressions. It applies to every path of that host,
    whichever Ingress wrote it; nginx matches them case-insensitively, anchored at the start
    (`location ~* "^PATH"`), longest path first, and the first match wins. rewrite-target switches
    the host to regex mode as well.
  - rewrite-target: nginx runs `rewrite "(?i)PATH" TARGET break;` — the whole URI becomes TARGET,
    with $1, $2… taken from the path's groups, and the query string is kept.
  - app-root (302 for "/"), permanent-redirect (301, or permanent-redirect-code),
    temporal-redirect (302), force-ssl-redirect (308 to HTTPS even without TLS) and
    ssl-redirect "false" (no redirect for a TLS host).
  - canary "true": the Ingress adds no route of its own; it joins the main Ingress's route of the
    same host and path. canary-by-header ("always", "never", or canary-by-header-value), then
    canary-by-cookie, then canary-weight decide. The main Ingress's rewrite applies to both.
  - backend-protocol: HTTP, HTTPS, GRPC, GRPCS, AUTO_HTTP or FCGI towards the backend.

  Any other nginx.ingress.kubernetes.io/ annotation is named in a warning: netspec answers as if
  it were absent, and says so.

  Background:
    Given a cluster with nodes "node-a"
    And a deployment "api" in namespace "shop" with 2 replicas labelled "app=api" listening on TCP port 8080
    And a deployment "api-v2" in namespace "shop" with 1 replica labelled "app=api-v2" listening on TCP port 8080
    And a deployment "web" in namespace "shop" with 1 replica labelled "app=web" listening on TCP port 8080
    And a service "api" in namespace "shop" selecting "app=api" mapping port 80 to 8080
    And a service "api-v2" in namespace "shop" selecting "app=api-v2" mapping port 80 to 8080
    And a service "web" in namespace "shop" selecting "app=web" mapping port 80 to 8080
    And an ingress class "nginx" served by ingress-nginx as the default class

  Scenario: rewrite-target with capture groups: the path the backend receives
    Given the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: api
        namespace: shop
        annotations: {nginx.ingress.kubernetes.io/rewrite-target: /$2}
      spec:
        rules:
        - host: shop.example.com
          http:
            paths:
            - {path: "/api(/|$)(.*)", pathType: ImplementationSpecific, backend: {service: {name: api, port: {number: 80}}}}
            - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      """
    When a request for "http://shop.example.com/API/v1/items?page=2" arrives at the ingress controller
    Then it is routed to service "api" on port 80
    And the backend receives GET "/v1/items?page=2"
    And the backend receives the header "X-Original-URI" set to "/API/v1/items?page=2"
    When a request for "http://shop.example.com/apiary" arrives at the ingress controller
    Then it is routed to service "web" on port 80
    And the backend receives GET "/"

  Scenario: a canary by header, sharing the main Ingress's path and rewrite
    Given the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: api
        namespace: shop
        annotations: {nginx.ingress.kubernetes.io/rewrite-target: /$2}
      spec:
        rules:
        - host: shop.example.com
          http:
            paths:
            - {path: "/api(/|$)(.*)", pathType: ImplementationSpecific, backend: {service: {name: api, port: {number: 80}}}}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: api-canary
        namespace: shop
        annotations:
          nginx.ingress.kubernetes.io/canary: "true"
          nginx.ingress.kubernetes.io/canary-by-header: X-Canary
          nginx.ingress.kubernetes.io/canary-by-cookie: canary
      spec:
        rules:
        - host: shop.example.com
          http:
            paths:
            - {path: "/api(/|$)(.*)", pathType: ImplementationSpecific, backend: {service: {name: api-v2, port: {number: 80}}}}
      """
    When a POST request for "http://shop.example.com/api/v1/items" arrives at the ingress controller with these headers:
      | X-Canary | always |
    Then it is routed to service "api-v2" on port 80
    And it is served by the canary of ingress "api-canary"
    And the backend receives POST "/v1/items"
    When a request for "http://shop.example.com/api/v1/items" with the header "Cookie: canary=always" arrives at the ingress controller
    Then it is served by the canary of ingress "api-canary"
    When a request for "http://shop.example.com/api/v1/items" with the header "X-Canary: never" arrives at the ingress controller
    Then it is served by the main backend, not the canary
    And it is routed to service "api" on port 80

  Scenario: use-regex on one Ingress makes every path of the host a case-insensitive regex
    Given the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: regex
        namespace: shop
        annotations: {nginx.ingress.kubernetes.io/use-regex: "true"}
      spec:
        rules:
        - host: shop.example.com
          http:
            paths:
            - {path: "/v[0-9]+/items", pathType: ImplementationSpecific, backend: {service: {name: api, port: {number: 80}}}}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: plain, namespace: shop}
      spec:
        rules:
        - host: shop.example.com
          http:
            paths:
            - {path: /Help, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
      """
    Then requests are routed like this:
      | url                                   | service | status |
      | http://shop.example.com/V2/items      | api     | 200    |
      | http://shop.example.com/x/v2/items    |         | 404    |
      | http://shop.example.com/help/me       | web     | 200    |

  Scenario: redirects the controller answers itself
    Given the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: root
        namespace: shop
        annotations: {nginx.ingress.kubernetes.io/app-root: /app}
      spec:
        rules:
        - host: shop.example.com
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: moved
        namespace: shop
        annotations: {nginx.ingress.kubernetes.io/permanent-redirect: "https://www.example.org/"}
      spec:
        rules:
        - host: old.example.com
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
      ---
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: secure
        namespace: shop
        annotations: {nginx.ingress.kubernetes.io/force-ssl-redirect: "true", nginx.ingress.kubernetes.io/backend-protocol: HTTPS}
      spec:
        rules:
        - host: secure.example.com
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]}
      """
    Then requests are routed like this:
      | url                                   | status |
      | http://shop.example.com/              | 302    |
      | http://shop.example.com/app           | 200    |
      | http://old.example.com/anything?x=1   | 301    |
      | http://secure.example.com/a?b=1       | 308    |
    When a request for "http://shop.example.com/" arrives at the ingress controller
    Then the ingress controller answers 302 with the header "Location" set to "http://shop.example.com/app"
    When a request for "http://old.example.com/anything?x=1" arrives at the ingress controller
    Then the ingress controller redirects to "https://www.example.org/"
    When a request for "http://secure.example.com/a?b=1" arrives at the ingress controller
    Then the ingress controller redirects to "https://secure.example.com/a?b=1"
    When a request for "https://secure.example.com/a" arrives at the ingress controller
    Then the backend receives it over HTTPS

  Scenario: annotations netspec does not model are named in a warning
    Given the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: api
        namespace: shop
        annotations:
          nginx.ingress.kubernetes.io/proxy-body-size: 8m
          nginx.ingress.kubernetes.io/whitelist-source-range: 10.0.0.0/8
      spec:
        rules:
        - host: shop.example.com
          http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}]}
      """
    Then the cluster loads with these warnings:
      | code                             | line | message                                                                  |
      | NS-INGRESS-ANNOTATION-UNMODELLED | 192  | annotation nginx.ingress.kubernetes.io/proxy-body-size is not modelled    |
      | NS-INGRESS-ANNOTATION-UNMODELLED | 193  | annotation nginx.ingress.kubernetes.io/whitelist-source-range is not modelled |
