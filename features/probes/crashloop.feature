Feature: Restarts back off: CrashLoopBackOff
  A container that keeps failing is not restarted in a tight loop. The kubelet restarts it at once
  the first time, then waits 10s, 20s, 40s … doubling up to five minutes between restarts; while it
  waits, the container's state is "waiting" with reason CrashLoopBackOff, and the pod is not Ready.
  A container that then runs for ten minutes without failing starts the sequence over.

  Background:
    Given a cluster with node "node-a"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: worker-1, namespace: jobs, labels: {app: worker}}
      spec:
        containers:
        - name: app
          image: worker:2.1
          livenessProbe:
            exec: {command: [cat, /tmp/healthy]}
            periodSeconds: 5
            failureThreshold: 1
      """

  Scenario: the delays double: 0s, 10s, 20s, 40s, 80s
    Given the app in pod "worker-1" in namespace "jobs" fails its liveness probe
    When the clock is at t=3m
    Then the probe timeline of pod "worker-1" in namespace "jobs" shows:
      | t     | probe    | result  | action  |
      | 0s    | liveness | failure | killed  |
      | 0s    | restart  |         | restart |
      | 5s    | liveness | failure | killed  |
      | 15s   | restart  |         | restart |
      | 15s   | liveness | failure | killed  |
      | 35s   | restart  |         | restart |
      | 35s   | liveness | failure | killed  |
      | 1m15s | restart  |         | restart |
      | 1m15s | liveness | failure | killed  |
      | 2m35s | restart  |         | restart |
    And the container "app" of pod "worker-1" in namespace "jobs" has restarted 5 times

  Scenario: the delay stops growing at five minutes
    Given the app in pod "worker-1" in namespace "jobs" fails its liveness probe
    When the clock is at t=30m
    Then the probe timeline of pod "worker-1" in namespace "jobs" shows:
      | t      | probe    | result  | action  |
      | 5m15s  | liveness | failure | killed  |
      | 10m15s | restart  |         | restart |
      | 10m15s | liveness | failure | killed  |
      | 15m15s | restart  |         | restart |

  Scenario: a probe script that fails with a non-zero exit code
    Given the app in pod "worker-1" in namespace "jobs" fails its liveness probe from 20s
    When the clock is at t=30s
    Then the liveness probe of pod "worker-1" in namespace "jobs" fails with "exec [cat /tmp/healthy]: command exited with code 1"
