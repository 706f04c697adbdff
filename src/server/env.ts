/**
 * The environment, read once at the edge and validated; nothing deeper reads process.env.
 * A bad value stops the process with a message that names the variable and the fix.
 */
import { z } from "zod";

const Flag = z
  .enum(["true", "false", "1", "0", "on", "off", "yes", "no"], "use true or false")
  .transform((value) => ["true", "1", "on", "yes"].includes(value));

export const EnvSchema = z.object({
  HOST: z.string().min(1).default("127.0.0.1"),
  PORT: z.coerce.number("use a number").int().min(0).max(65535).default(4321),
  DATABASE_PATH: z.string().min(1).default("./data/racine.db"),
  ADMIN_PASSWORD: z.string().min(8, "use at least 8 characters (or unset it to get a random one)").optional(),
  SESSION_SECRET: z.string().min(32, "use at least 32 random characters").optional(),
  TRUST_PROXY: Flag.default(false),
  SITE_URL: z
    .url({ protocol: /^https?$/, error: "use a full http(s) URL such as https://ideas.example.com" })
    .optional(),
});
export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {
  override name = "EnvError";
}

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  // An empty variable means "not set", as in most .env tooling.
  const present = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = EnvSchema.safeParse(present);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
  throw new EnvError(`Invalid environment (see .env.example and the README):\n${lines.join("\n")}`);
}
