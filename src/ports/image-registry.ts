// Container registries, as the image-update proposer needs them: the tags of one repository.

export interface ImageRegistryPort {
  /**
   * Every tag of `repository` as the registry lists it (all pages). `repository` is written as in
   * a job file without tag: `postgres`, `grafana/grafana-oss`, `ghcr.io/home-assistant/home-assistant`.
   */
  listTags(repository: string): Promise<string[]>;
}
