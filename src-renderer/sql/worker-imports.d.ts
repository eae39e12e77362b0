/** Vite bundles `?worker&inline` imports as a Worker constructor (the script inlined as a blob). */
declare module '*?worker&inline' {
  const WorkerFactory: { new (): Worker };
  export default WorkerFactory;
}
