Feature: A process that ignores SIGTERM holds the kill for the whole grace period
  When the kubelet kills a container — a failed liveness probe, or the pod's deletion — it runs the
  preStop hook, sends SIGTERM, and sends SIGKILL when the grace period runs out (kuberuntime
  killContainer). The grace period is the pod's terminationGracePeriodSeconds (default 30s), or the
  probe's own terminationGracePeriodSeconds for a liveness or startup kill. A process that ignores
  SIGTERM keeps running (and keeps its endpoint's place) until SIGKILL; it then exits with code 137.
  Time spent in preStop is taken from the grace period, but the process always gets at least 2s
  between SIGTERM and SIGKILL (minimumGracePeriodInSeconds).

  Background:
    Given a cluster with node "node-a"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: worker-1, namespace: jobs, labels: {app: worker}}
      spec:
        nodeName: node-a
        terminationGracePeriodSeconds: 45
        containers:
        - name: app
          image: worker:2.1
          livenessProbe:
            exec: {command: [cat, /tmp/healthy]}
            periodSeconds: 5
            failureThreshold: 1
      """

  Scenario: the kill waits for the pod's grace period, then SIGKILL, exit code 137
    Given the app script:
      """yaml
      apps:
      - pod: jobs/worker-1
        clock: pod
        probes:
          liveness: [{from: 20s, to: 30s, answer: {exitCode: 1}}]
        sigterm: ignore
      """
    When the clock is at t=1m10s
    Then the probe timeline of pod "worker-1" in namespace "jobs" shows:
      | t     | probe    | result  | action  |
      | 20s   | liveness | failure | killed  |
      | 20s   | signal   |         | sigterm |
      | 1m5s  | signal   |         | sigkill |
      | 1m5s  | exit     |         | exited  |
      | 1m5s  | restart  |         | restart |
    And the last state of container "app" of pod "worker-1" in namespace "jobs" is "terminated with reason Error and exit code 137"

  Scenario: a process that ends on SIGTERM is restarted at once
    Given the app script:
      """yaml
      apps:
      - pod: jobs/worker-1
        clock: pod
        probes:
          liveness: [{from: 20s, to: 30s, answer: fail}]
        sigterm: {exitCode: 0}
      """
    When the clock is at t=21s
    Then the container "app" of pod "worker-1" in namespace "jobs" is "running"
    And the last state of container "app" of pod "worker-1" in namespace "jobs" is "terminated with reason Completed and exit code 0"
