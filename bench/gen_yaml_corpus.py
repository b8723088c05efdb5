#!/usr/bin/env python3
"""Writes a benchmark corpus of Kubernetes manifests and compose files: every file of
../shared/corpus (real layouts) copied over and over, plus generated multi-document manifests,
until there are at least COUNT files. Usage: gen_yaml_corpus.py OUT_DIR [COUNT] [CORPUS_DIR]"""
import os
import random
import sys

out, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 5000
corpus = sys.argv[3] if len(sys.argv) > 3 else os.path.join(os.path.dirname(__file__), "../../shared/corpus")
random.seed(42)

real = []
for root, _, files in os.walk(corpus):
    for name in sorted(files):
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(root, name), "rb") as f:
                real.append((name, f.read()))

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-{i}
  labels: {{app: svc-{i}, tier: backend}}
spec:
  replicas: {replicas}
  template:
    metadata:
      labels: {{app: svc-{i}}}
    spec:
      containers:
        - name: app
          image: registry.example.com/svc-{i}:{tag}
          ports: [{{containerPort: 8080}}]
          resources:
            requests: {{cpu: 100m, memory: {mem}}}
{limits}          env:
            - {{name: LOG_LEVEL, value: info}}
            - {{name: REDIS_URL, value: "redis://cache:6379/0"}}
---
apiVersion: v1
kind: Service
metadata:
  name: svc-{i}
spec:
  selector: {{app: svc-{i}}}
  ports: [{{port: 80, targetPort: 8080}}]
"""

os.makedirs(out, exist_ok=True)
written = 0
while written < count:
    folder = os.path.join(out, f"d{written // 500:03d}")
    os.makedirs(folder, exist_ok=True)
    if written % 2 == 0 and real:
        name, data = real[written // 2 % len(real)]
        with open(os.path.join(folder, f"{written:05d}-{name}"), "wb") as f:
            f.write(data)
    else:
        limits = "            limits: {memory: 512Mi}\n" if random.random() < 0.5 else ""
        text = DEPLOYMENT.format(i=written, replicas=random.randint(1, 5), tag=f"v{written % 17}",
                                 mem=random.choice(["128Mi", "256Mi", "512m", "1Gi"]), limits=limits)
        with open(os.path.join(folder, f"{written:05d}-deploy.yaml"), "w") as f:
            f.write(text)
    written += 1
print(f"{written} files in {out}")
