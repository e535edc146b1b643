Feature: HTTP probes and redirects
  The kubelet's HTTP prober counts any status from 200 to 399 as a success. It follows a redirect
  when the Location stays on the same host (up to 10 redirects, Go's http.Client), and judges the
  final answer; it does not follow a redirect to another host (followNonLocalRedirects is false for
  probes): that 3xx itself is the answer, a success with the warning "Probe terminated redirects".

  Background:
    Given a cluster with node "node-a"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: web-1, namespace: shop, labels: {app: web}}
      spec:
        nodeName: node-a
        containers:
        - name: app
          image: nginx
          ports: [{containerPort: 8080}]
          readinessProbe:
            httpGet: {path: /healthz, port: 8080}
            failureThreshold: 1
      """

  Scenario: a redirect on the same host is followed, and the page it leads to decides
    Given the app script:
      """yaml
      apps:
      - pod: shop/web-1
        paths:
          /healthz: [{answer: {status: 302, location: /login}}]
          /login: [{answer: 200}, {from: 30s, answer: 503}]
      """
    When the clock is at t=20s
    Then pod "web-1" in namespace "shop" is ready
    When 10s more have passed
    Then pod "web-1" in namespace "shop" is not ready
    And the readiness probe of pod "web-1" in namespace "shop" fails with "(redirected to /login): HTTP 503"

  Scenario: a redirect to another host is not followed: a success, with a warning
    Given the app script:
      """yaml
      apps:
      - pod: shop/web-1
        paths:
          /healthz: [{answer: {status: 301, location: "https://sso.example.com/login"}}]
      """
    When the clock is at t=30s
    Then pod "web-1" in namespace "shop" is ready
    And the probe timeline of pod "web-1" in namespace "shop" shows:
      | t  | probe     | result  | action |
      | 0s | readiness | success | ready  |
