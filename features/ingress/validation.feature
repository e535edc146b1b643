Feature: The API server refuses a malformed Ingress, and so does netspec
  An Ingress that the API server would not accept never reaches the controller, so netspec stops
  at it with the API server's own words (k8s.io/kubernetes pkg/apis/networking/validation):

  - an Exact or Prefix path must be absolute and may not contain "//", "/./", "/../" or an encoded
    slash "%2f", nor end in "/." or "/.."; an ImplementationSpecific path only has to start with
    "/" (ingress-nginx's regular expressions pass);
  - a host is a lower-case DNS name, never an IP address; "*" is allowed only as the whole first
    label ("*.example.com");
  - a backend port is a number or a name, not both;
  - a spec needs rules or a defaultBackend;
  - when both the deprecated kubernetes.io/ingress.class annotation and spec.ingressClassName are
    set, they must agree.

  Each error points at the field, with the file, line and column. In a doc string the positions are
  lines of the feature file itself.

  Scenario: paths, hosts, backends and the class, each error where it is
    Given the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: shop
        namespace: shop
        annotations: {kubernetes.io/ingress.class: public}
      spec:
        ingressClassName: nginx
        rules:
        - host: 192.0.2.10
          http:
            paths:
            - {path: api, pathType: Prefix, backend: {service: {name: api, port: {number: 80}}}}
            - {path: /static/../etc, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
            - {path: /a, pathType: Exact, backend: {service: {name: web, port: {number: 80, name: http}}}}
        - host: "shop.*.example.com"
          http:
            paths:
            - {path: "/api(/|$)(.*)", pathType: ImplementationSpecific, backend: {service: {name: api, port: {name: http}}}}
      """
    Then loading fails with these errors:
      | code               | line | message                                                          |
      | NS-INGRESS-CLASS   | 26   | must match `ingressClassName` when both are specified            |
      | NS-INGRESS-HOST    | 30   | "192.0.2.10": must be a DNS name, not an IP address               |
      | NS-INGRESS-PATH    | 33   | Invalid value: "api": must be an absolute path                    |
      | NS-INGRESS-PATH    | 34   | must not contain '/../'                                           |
      | NS-INGRESS-BACKEND | 35   | cannot set both port name & port number                           |
      | NS-INGRESS-HOST    | 36   | a wildcard DNS-1123 subdomain must start with '*.'                |

  Scenario: an Ingress with neither rules nor a defaultBackend
    Given the manifest:
      """yaml
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata: {name: empty, namespace: shop}
      spec: {ingressClassName: nginx}
      """
    Then loading fails with these errors:
      | code            | line | message                                              |
      | NS-INGRESS-SPEC | 56   | either `defaultBackend` or `rules` must be specified |
