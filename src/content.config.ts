/**
 * The concept collection. The loader validates every file with the zod schema in
 * src/domain/concept.ts and fails the build with the file and the field at fault.
 */

import { defineCollection } from "astro:content";
import { resolve } from "node:path";
import type { Loader } from "astro/loaders";
import { CONCEPTS_DIR, loadConceptFiles } from "./server/concepts/files";

function conceptLoader(): Loader {
  return {
    name: "racine-concepts",
    load: async ({ store, watcher, logger }) => {
      const dir = resolve(CONCEPTS_DIR);
      const sync = () => {
        const concepts = loadConceptFiles(dir);
        store.clear();
        for (const { slug, ...data } of concepts) store.set({ id: slug, data });
        logger.info(`${concepts.length} concepts loaded`);
      };
      sync();
      watcher?.add(dir);
      watcher?.on("all", (_event, path) => {
        if (!path.startsWith(dir)) return;
        try {
          sync();
        } catch (error) {
          logger.error(error instanceof Error ? error.message : String(error));
        }
      });
    },
  };
}

export const collections = { concepts: defineCollection({ loader: conceptLoader() }) };
