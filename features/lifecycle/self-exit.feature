Feature: A process that exits by itself, and the kubelet's back-off
  A container's process can end on its own: a crash (exit code 1) or a finished job (exit code 0).
  restartPolicy decides what follows: Always restarts every exit, OnFailure only a non-zero one,
  Never none. Restarts back off per container, counted from when the container finished: at once,
  then 10s, 20s, 40s … up to 300s; a container that ran over 10 minutes (2 × 300s since the last
  restart, flowcontrol hasExpired) starts the sequence again. While it waits, the container is
  "waiting" with reason CrashLoopBackOff, and lastState keeps the exit code of the last instance.

  Background:
    Given a cluster with node "node-a"
    And the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: etl, namespace: jobs}
      spec:
        nodeName: node-a
        containers:
        - name: app
          image: etl:3
      """

  Scenario: exit code 1 after 50s, every time: restarts at 50s, 1m50s, 3m, 4m30s
    Given the app script:
      """yaml
      apps:
      - pod: jobs/etl
        exit: {after: 50s, code: 1}
      """
    When the clock is at t=5m
    Then the probe timeline of pod "etl" in namespace "jobs" shows:
      | t     | probe   | result | action  |
      | 50s   | exit    |        | exited  |
      | 50s   | restart |        | restart |
      | 1m40s | exit    |        | exited  |
      | 1m50s | restart |        | restart |
      | 2m40s | exit    |        | exited  |
      | 3m    | restart |        | restart |
      | 3m50s | exit    |        | exited  |
      | 4m30s | restart |        | restart |
    And between 1m41s and 1m49s the container "app" of pod "etl" in namespace "jobs" restarts 0 times

  Scenario: while backing off: waiting, CrashLoopBackOff, the last exit code kept
    Given the app script:
      """yaml
      apps:
      - pod: jobs/etl
        exit: {after: 50s, code: 1}
      """
    When the clock is at t=1m45s
    Then the container "app" of pod "etl" in namespace "jobs" is "waiting with reason CrashLoopBackOff"
    And the last state of container "app" of pod "etl" in namespace "jobs" is "terminated with reason Error and exit code 1"
    And pod "etl" in namespace "jobs" is not ready

  Scenario: restartPolicy OnFailure: a job that exits 0 is Completed and the pod Succeeded
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata: {name: once, namespace: jobs}
      spec:
        nodeName: node-a
        restartPolicy: OnFailure
        containers:
        - name: app
          image: etl:3
      """
    And the app script:
      """yaml
      apps:
      - pod: jobs/once
        exit: {after: 30s, code: 0}
      """
    When the clock is at t=1m
    Then the container "app" of pod "once" in namespace "jobs" is "terminated with reason Completed and exit code 0"
    And pod "once" in namespace "jobs" is in phase "Succeeded"
