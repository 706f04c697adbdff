/**
 * The concept collection. The loader validates every file with the zod schema in
 * src/domain/concept.ts and fails the build with the file and the field at fault. The
 * folder it reads is the build's (astro.config.mjs): the founder's, or the tests' fixtures.
 */

import { defineCollection } from "astro:content";
import { conceptsDir } from "virtual:racine/build-options";
import type { Loader } from "astro/loaders";
import { loadConceptFiles } from "./server/concepts/files";

function conceptLoader(): Loader {
  return {
    name: "racine-concepts",
    load: async ({ store, watcher, logger }) => {
      const sync = () => {
        const concepts = loadConceptFiles(conceptsDir);
        store.clear();
        for (const { slug, ...data } of concepts) store.set({ id: slug, data });
        logger.info(`${concepts.length} concepts loaded`);
      };
      sync();
      watcher?.add(conceptsDir);
      watcher?.on("all", (_event, path) => {
        if (!path.startsWith(conceptsDir)) return;
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
