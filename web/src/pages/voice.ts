// Voice practice with the ElevenLabs browser SDK, loaded only when a voice
// call starts (a chunk of its own): the session is started with the signed
// URL and the overrides POST /api/calls/start returns.
import { Conversation } from "@elevenlabs/client";
import type { VoiceStarted } from "../api/client";

export interface VoiceHandlers {
  connected(conversationId: string): void;
  line(role: "user" | "assistant", text: string): void;
  ended(reason: string): void;
  error(message: string): void;
}

export interface VoiceSession {
  end(): Promise<void>;
  conversationId(): string;
}

export async function startVoice(cfg: VoiceStarted, h: VoiceHandlers): Promise<VoiceSession> {
  const o = cfg.agentConfig.overrides;
  const conv = await Conversation.startSession({
    signedUrl: cfg.signedUrl!,
    connectionType: "websocket",
    overrides: {
      agent: { prompt: { prompt: o.agent.prompt.prompt }, firstMessage: o.agent.firstMessage, language: o.agent.language as never },
      tts: { voiceId: o.tts.voiceId },
    },
    dynamicVariables: cfg.agentConfig.dynamicVariables,
    onConnect: ({ conversationId }) => h.connected(conversationId),
    onMessage: ({ source, message }) => h.line(source === "user" ? "user" : "assistant", message),
    onDisconnect: (d) => h.ended(d.reason),
    onError: (message) => h.error(String(message)),
  });
  return { end: () => conv.endSession(), conversationId: () => conv.getId() };
}
