Feature: The stock ingress-nginx install, admission Jobs included
  ingress-nginx's cloud deploy.yaml brings more than the controller: a ServiceAccount and RBAC, a
  ConfigMap, a LoadBalancer Service, an IngressClass, a ValidatingWebhookConfiguration and two
  admission Jobs (create and patch) whose pods carry the same app.kubernetes.io/name=ingress-nginx
  label as the controller. A Job's pods run to completion (Succeeded, no IP) and are never the
  controller: netspec takes the IngressClass's controller to be the pod that runs with
  --controller-class equal to the class's spec.controller (else the chart's labels
  app.kubernetes.io/component=controller), and says so in the trace.

  k8s/ingress-nginx-cloud/controller.yaml holds a fixture with the same kinds, names, labels and
  args as deploy.yaml; app.yaml an app, its Ingress, and a NetworkPolicy that admits only the
  controller's pods. The RBAC objects, ServiceAccounts and the webhook configuration do not touch
  networking: netspec skips them without a warning.

  Background:
    Given the manifests in "k8s/ingress-nginx-cloud"

  Scenario: the admission Jobs ran to completion
    Then every pod of job "ingress-nginx-admission-create" in namespace "ingress-nginx" is Succeeded
    And every pod of job "ingress-nginx-admission-patch" in namespace "ingress-nginx" is Succeeded
    And every pod of deployment "ingress-nginx-controller" in namespace "ingress-nginx" is Running

  Scenario: the request is proxied from the controller Deployment's pod, which the policy admits
    When a request for "http://hello.example.com/" arrives at the ingress controller
    Then it is routed to service "hello" on the port named "http"
    And the ingress controller answers 200
    And the request was proxied from a pod of deployment "ingress-nginx-controller" in namespace "ingress-nginx"
    And the ingress trace says "--controller-class=k8s.io/ingress-nginx"

  Scenario: what the NetworkPolicy lets in
    Then every pod of deployment "ingress-nginx-controller" in namespace "ingress-nginx" connecting to "web/svc/hello" on TCP port 80 is delivered
    And every pod of deployment "client" in namespace "web" connecting to "svc/hello" on TCP port 80 is dropped

  Scenario: RBAC, ServiceAccounts and webhook configurations load without a warning
    Then the cluster loads without warnings
