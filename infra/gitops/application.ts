/**
 * The Argo CD Application that delivers the function from `stacks/<env>/`, as a plain
 * function so it can be validated against the Application schema without a cluster.
 */
import type { IApplication } from '@kubernetes-models/argo-cd/argoproj.io/v1alpha1/Application';

/**
 * The image name the manifests in `stacks/<env>/` carry. It is a placeholder on purpose:
 * Pulumi builds the image and hands the exact reference to Argo CD through the
 * Application's kustomize image override, so Git never holds a stale tag.
 */
export const FUNCTION_IMAGE_NAME = 'ner-processor';

/** Where the release manifests of a stack live in this repository. */
export function stackPath(stack: string): string {
  return `stacks/${stack}`;
}

export interface FunctionApplicationArgs {
  /** Pulumi stack = environment name (dev, prod). */
  stack: string;
  /** Namespace Argo CD runs in. */
  argoCdNamespace: string;
  repoURL: string;
  targetRevision: string;
  /** Namespace the function runs in (openfaas-fn). */
  functionNamespace: string;
}

/**
 * The Application's `spec.source.kustomize.images` entry that swaps the placeholder for `image`,
 * the exact reference Pulumi built or pinned (`registry/ner-processor:<tag>[@sha256:<digest>]`).
 */
export function imageOverride(image: string): string {
  return `${FUNCTION_IMAGE_NAME}=${image}`;
}

/**
 * The Application, all but its image override: the image is known only once Pulumi has built it,
 * so the component adds `kustomize.images` (and nothing else waits for the build).
 */
export function functionApplication(args: FunctionApplicationArgs): IApplication {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: `nlp-pipeline-${args.stack}`,
      namespace: args.argoCdNamespace,
      labels: { 'app.kubernetes.io/part-of': 'nlp-pipeline' },
    },
    spec: {
      project: 'default',
      source: {
        repoURL: args.repoURL,
        targetRevision: args.targetRevision,
        path: stackPath(args.stack),
      },
      destination: { server: 'https://kubernetes.default.svc', namespace: args.functionNamespace },
      syncPolicy: {
        // Git is the truth: objects removed from stacks/<env>/ are pruned, hand edits in the cluster are reverted.
        automated: { prune: true, selfHeal: true },
        syncOptions: ['CreateNamespace=true'],
      },
    },
  };
}
