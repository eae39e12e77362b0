export { dagsterModule, type DagsterOptions } from './dagster';
export { k8sManifests, type K8sManifests, type K8sOptions } from './k8s';
export { exportTarget, type ExportTarget } from './target';
