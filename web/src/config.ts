// What the server told the app about itself, in <meta name="sparrow-config">.
export interface AppConfig {
  localSignIn: boolean;
  clerkPublishableKey?: string;
  clerkFrontendApi?: string;
  voice: boolean;
}

function read(): AppConfig {
  const raw = document.querySelector('meta[name="sparrow-config"]')?.getAttribute("content") ?? "{}";
  try {
    return { localSignIn: true, voice: false, ...(JSON.parse(raw) as Partial<AppConfig>) };
  } catch {
    return { localSignIn: true, voice: false };
  }
}

export const config = read();
