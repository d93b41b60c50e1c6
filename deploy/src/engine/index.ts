/** The project's own Docker engine and base image, for running docker mode where no Docker is installed. */
export { baseImage, ensureBaseImage } from './base-image';
export { type DockerEngine, startDockerEngine } from './docker-engine';
