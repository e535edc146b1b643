Feature: Refused and unreachable: when nothing answers
  Two failures look alike to an application ("could not connect") but say different things.
  Refused: the address exists and its kernel answered, but nothing listens on that port. TCP gets
  a reset (RST), UDP an ICMP "port unreachable". Unreachable: nobody holds the address at all (no
  pod has that IP, or no node owns that part of the pod network), so nobody answers ARP and the
  sender gets "no route to host" or waits for a timeout. netspec takes the ports a pod's containers
  declare (containerPort) as the ports that listen.

  Background:
    Given a cluster with nodes "node-a" and "node-b"
    And a pod "client" in namespace "shop" on node "node-a"
    And a pod "web-2" in namespace "shop" on node "node-b" listening on TCP port 8080

  Scenario: a port no container declares is refused with a TCP reset
    When pod "client" in namespace "shop" connects to pod "web-2" on TCP port 9999
    Then the connection is refused
    And the trace mentions "TCP RST"

  Scenario: over UDP, the refusal is an ICMP port unreachable
    When pod "client" in namespace "shop" connects to pod "web-2" on UDP port 8080
    Then the connection is refused
    And the trace mentions "ICMP port unreachable"

  Scenario: an address in a node's podCIDR that no pod holds is unreachable
    When pod "client" in namespace "shop" connects to "10.244.1.200" on TCP port 8080
    Then the connection is unreachable
    And the trace passes through "node/node-b/cni0"
    And the trace mentions "ARP"

  Scenario: an address in the pod network that no node owns is unreachable
    When pod "client" in namespace "shop" connects to "10.244.200.7" on TCP port 8080
    Then the connection is unreachable
    And the trace mentions "no node holds a podCIDR"

  Scenario: a pod that could not be scheduled has no address
    Given the manifest:
      """yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: gpu-job
        namespace: shop
      spec:
        nodeSelector:
          accelerator: nvidia-a100
        containers:
        - name: train
          image: pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime
          ports:
          - containerPort: 8080
      """
    When pod "client" in namespace "shop" connects to "shop/gpu-job" on TCP port 8080
    Then the connection is unreachable
    And the trace mentions "no IP"

  Scenario: many at once, each with its reason
    Then these connections have these verdicts:
      | from        | to           | port | protocol | verdict     |
      | shop/client | shop/web-2   | 8080 | TCP      | delivered   |
      | shop/client | shop/web-2   | 8081 | TCP      | refused     |
      | shop/client | shop/web-2   | 8080 | UDP      | refused     |
      | shop/client | 10.244.1.250 | 8080 | TCP      | unreachable |
      | shop/web-2  | shop/client  | 80   | TCP      | refused     |
