var E=class{queue=[];outgoingQueue=[];disconnectionDetails=null;onDisconnectCallback=null;onMessageCallback=null;onModeChangeCallback=null;onDebug;onOutgoingMessageCallback=null;constructor(e={}){this.onDebug=e.onDebug}debug(e){this.onDebug&&this.onDebug(e)}onMessage(e){this.onMessageCallback=e;let t=this.queue;this.queue=[],t.length>0&&queueMicrotask(()=>{t.forEach(e)})}onDisconnect(e){this.onDisconnectCallback=e;let t=this.disconnectionDetails;t&&queueMicrotask(()=>{e(t)})}onModeChange(e){this.onModeChangeCallback=e}onOutgoingMessage(e){this.onOutgoingMessageCallback=e;let t=this.outgoingQueue;this.outgoingQueue=[],t.length>0&&queueMicrotask(()=>{t.forEach(e)})}updateMode(e){this.onModeChangeCallback?.(e)}disconnect(e){this.disconnectionDetails||(this.disconnectionDetails=e,this.onDisconnectCallback?.(e))}handleMessage(e){this.onMessageCallback?this.onMessageCallback(e):this.queue.push(e)}handleOutgoingMessage(e){this.onOutgoingMessageCallback?this.onOutgoingMessageCallback(e):this.outgoingQueue.push(e)}};function I(o){let[e,t]=o.split("_");if(!["pcm","ulaw"].includes(e))throw new Error(`Invalid format: ${o}`);let n=Number.parseInt(t);if(Number.isNaN(n))throw new Error(`Invalid sample rate: ${t}`);return{format:e,sampleRate:n}}function M(o){return o!=null&&typeof o=="object"&&!Array.isArray(o)}function ae(o,e="Expected a JSON object"){if(!M(o))throw new Error(e)}async function N(o){try{let e=await o.json();if(!M(e))return o.statusText||"Unknown error";let t=e.detail,n=M(t)?t.message:t;if(typeof n=="string")return n}catch(e){console.warn("Failed to parse API error response as JSON:",e)}return o.statusText||"Unknown error"}var R=class extends Error{closeCode;closeReason;constructor(e,t){super(e),this.name="SessionConnectionError",this.closeCode=t?.closeCode,this.closeReason=t?.closeReason}};var ce="1.25.0";var S=Object.freeze({name:"js_sdk",version:ce});function x(o){return!!o.type}var le=()=>{throw new Error("WebRTC voice is not built into Sparrow; use the WebSocket connection")},V=class{constructor(){le()}},g={},_={Kind:{},Source:{}},ue={},de=le;var Z="conversation_initiation_client_data";function W(o){let e={type:Z};return o.overrides&&(e.conversation_config_override={agent:{prompt:o.overrides.agent?.prompt,first_message:o.overrides.agent?.firstMessage,language:o.overrides.agent?.language},tts:{voice_id:o.overrides.tts?.voiceId,speed:o.overrides.tts?.speed,stability:o.overrides.tts?.stability,similarity_boost:o.overrides.tts?.similarityBoost},...o.overrides.asr?.keywords!==void 0?{asr:{keywords:o.overrides.asr.keywords}}:{},conversation:{text_only:o.overrides.conversation?.textOnly}}),o.customLlmExtraBody&&(e.custom_llm_extra_body=o.customLlmExtraBody),o.dynamicVariables&&(e.dynamic_variables=o.dynamicVariables),o.userId&&(e.user_id=o.userId),e.source_info={source:S.name,version:S.version},o.toolMockConfig&&(e.tool_mock_config={mocking_strategy:o.toolMockConfig.mockingStrategy,mocked_tool_names:o.toolMockConfig.mockedToolNames,fallback_strategy:o.toolMockConfig.fallbackStrategy}),e}function P(o){let e=new Uint8Array(o);return btoa(String.fromCharCode(...e))}function pe(o){let e=atob(o),t=e.length,n=new Uint8Array(t);for(let r=0;r<t;r++)n[r]=e.charCodeAt(r);return n.buffer}var O={getVolume:()=>0,getByteFrequencyData:()=>{}},He=100,je=8e3;function ee(o,e,t){let n=o.length,r=t/2/n,i=Math.floor(He/r),s=Math.min(Math.ceil(je/r),n),a=s-i,c=e.length;for(let l=0;l<c;l++){let u=l/c*a,d=i+Math.floor(u),h=Math.min(d+1,s-1),p=u-Math.floor(u);e[l]=Math.round(o[d]*(1-p)+o[h]*p)}}var he;function me(o){he=o}function fe(){return he?.()??null}var Ge="wss://livekit.rtc.elevenlabs.io",ze="https://api.elevenlabs.io",Je=.01;function Ye(o){return o.replace(/^wss:\/\//,"https://")}var w=class o extends E{conversationId;inputFormat;outputFormat;room;isConnected=!1;audioEventId=1;outputDeviceId=null;audioAdapter;workletPaths;inputAnalyser=void 0;inputVolumeProvider=O;outputAnalyser=void 0;outputVolumeProvider=O;_isMuted=!1;input={close:async()=>{if(this.isConnected)try{this.room.localParticipant.audioTrackPublications.forEach(e=>{e.track&&e.track.stop()})}catch(e){console.warn("Error stopping local tracks:",e)}},setDevice:async e=>{if(e?.sampleRate!==void 0||e?.format!==void 0||e?.preferHeadphonesForIosDevices!==void 0)throw new Error("WebRTC input device does not support sampleRate, format, or preferHeadphonesForIosDevices options");let t=e?.inputDeviceId;t&&await this.setAudioInputDevice(t)},setMuted:async e=>{if(!this.isConnected||!this.room.localParticipant){console.warn("Cannot set microphone muted: room not connected or no local participant");return}this._isMuted=e;let t=this.room.localParticipant.getTrackPublication(_.Source.Microphone);if(t?.track)try{e?await t.track.mute():await t.track.unmute()}catch{await this.room.localParticipant.setMicrophoneEnabled(!e)}else await this.room.localParticipant.setMicrophoneEnabled(!e);if(!e){let n=this.room.localParticipant.getTrackPublication(_.Source.Microphone)?.track;n&&this.setupInputAnalyser(n.mediaStreamTrack)}},isMuted:()=>this._isMuted,getAnalyser:()=>this.inputAnalyser,getVolume:()=>this._isMuted?0:this.inputVolumeProvider.getVolume(),getByteFrequencyData:e=>{if(this._isMuted){e.fill(0);return}this.inputVolumeProvider.getByteFrequencyData(e)}};output={close:async()=>{},setDevice:async e=>{if(e?.sampleRate!==void 0||e?.format!==void 0)throw new Error("WebRTC output device does not support sampleRate or format options");let t=e?.outputDeviceId;t&&await this.setAudioOutputDevice(t)},setVolume:e=>{this.setAudioVolume(e)},interrupt:e=>{},getAnalyser:()=>this.outputAnalyser,getVolume:()=>this.outputVolumeProvider.getVolume(),getByteFrequencyData:e=>{this.outputVolumeProvider.getByteFrequencyData(e)}};constructor(e,t,n,r,i={}){super(i),this.room=e,this.conversationId=t,this.inputFormat=n,this.outputFormat=r,this.audioAdapter=fe(),this.workletPaths=i.workletPaths,this.setupRoomEventListeners()}static async create(e){let t;if("conversationToken"in e&&e.conversationToken)t=e.conversationToken;else if("agentId"in e&&e.agentId)try{let{name:i,version:s}=S,a=e.origin??ze,l=`${Ye(a)}/v1/convai/conversation/token?agent_id=${e.agentId}&source=${i}&version=${s}`;e.environment&&(l+=`&environment=${encodeURIComponent(e.environment)}`);let u=await fetch(l);if(!u.ok){let h=await N(u);throw new Error(`ElevenLabs API returned ${u.status} ${h}`)}let d=await u.json();if(!M(d)||typeof d.token!="string")throw new Error("No conversation token received from API");if(t=d.token,!t)throw new Error("No conversation token received from API")}catch(i){let s=i instanceof Error?i.message:String(i);throw i instanceof Error&&i.message.includes("401")&&(s="Your agent has authentication enabled, but no signed URL or conversation token was provided."),new Error(`Failed to fetch conversation token for agent ${e.agentId}: ${s}`)}else throw new Error("Either conversationToken or agentId is required for WebRTC connection");let n=e.webRtc?.singlePeerConnection,r=new V(n===void 0?void 0:{singlePeerConnection:n});try{let i=`room_${Date.now()}`,s=I("pcm_48000"),a=I("pcm_48000"),c=new o(r,i,s,a,e),l=e.livekitUrl||Ge,u=e.textOnly?Promise.resolve():new Promise((f,m)=>{r.once(g.SignalConnected,()=>{c.enableMicrophone(e.inputDeviceId).then(()=>f()).catch(m)})}),d=e.webRtc?.iceTransportPolicy;await r.connect(l,t,{rtcConfig:d?{iceTransportPolicy:d}:void 0}),await new Promise(f=>{if(c.isConnected)f();else{let m=()=>{r.off(g.Connected,m),f()};r.on(g.Connected,m)}}),await u;let h=r.localParticipant.getTrackPublication(_.Source.Microphone)?.track;h&&c.setupInputAnalyser(h.mediaStreamTrack),r.name&&(c.conversationId=r.name.match(/(conv_[a-zA-Z0-9]+)/)?.[0]||r.name);let p=W(e);return c.debug({type:Z,message:p}),await c.sendRequiredMessage(p),c}catch(i){throw await r.disconnect(),i}}setupRoomEventListeners(){this.room.on(g.Connected,()=>{this.isConnected=!0}),this.room.on(g.Disconnected,e=>{this.isConnected=!1,this.disconnect({reason:"agent",context:{type:"close",reason:e?.toString()}})}),this.room.on(g.ConnectionStateChanged,e=>{e===ue.Disconnected&&(this.isConnected=!1,this.disconnect({reason:"error",message:`LiveKit connection state changed to ${e}`,context:{type:"connection_state_changed"}}))}),this.room.on(g.DataReceived,(e,t)=>{try{let n=JSON.parse(new TextDecoder().decode(e));if(n.type==="audio"){x(n)&&this.handleMessage(n);return}x(n)?this.handleMessage(n):console.warn("Invalid socket event received:",n)}catch(n){console.warn("Failed to parse incoming data message:",n),console.warn("Raw payload:",new TextDecoder().decode(e))}}),this.room.on(g.TrackSubscribed,async(e,t,n)=>{if(e.kind===_.Kind.Audio&&n.identity.includes("agent")){let r=e;this.audioAdapter&&(await this.audioAdapter.attachRemoteTrack(r,this.outputDeviceId),await this.setupAudioCapture(r),this.onDebug?.({type:"audio_element_ready"}))}}),this.room.on(g.ActiveSpeakersChanged,async e=>{e.length>0?this.updateMode(e[0].identity.startsWith("agent")?"speaking":"listening"):this.updateMode("listening")}),this.room.on(g.ParticipantDisconnected,e=>{e.identity?.startsWith("agent")&&this.disconnect({reason:"agent",context:{type:"close",reason:"agent disconnected"}})})}close(){if(this.isConnected){try{this.room.localParticipant.audioTrackPublications.forEach(e=>{e.track&&e.track.stop()})}catch(e){console.warn("Error stopping local tracks:",e)}this.audioAdapter?.cleanup(),this.inputAnalyser=void 0,this.outputAnalyser=void 0,this.inputVolumeProvider=O,this.outputVolumeProvider=O,this.room.disconnect()}}async sendMessage(e){if(!this.isConnected||!this.room.localParticipant){console.warn("Cannot send message: room not connected or no local participant");return}if(!("user_audio_chunk"in e)){this.handleOutgoingMessage(e);try{await this.publishMessage(e)}catch(t){this.debug({type:"send_message_error",message:{message:e,error:t}}),console.error("Failed to send message via WebRTC:",t)}}}async sendRequiredMessage(e){if(!this.isConnected||!this.room.localParticipant)throw new Error("Cannot send message: room not connected or no local participant");this.handleOutgoingMessage(e),await this.publishMessage(e)}async publishMessage(e){let n=new TextEncoder().encode(JSON.stringify(e));await this.room.localParticipant.publishData(n,{reliable:!0})}getRoom(){return this.room}setupInputAnalyser(e){if(this.audioAdapter)try{let t=this.audioAdapter.setupInputAnalysis(e);this.inputVolumeProvider=t.volumeProvider,this.inputAnalyser=t.analyser}catch(t){console.warn("[ConversationalAI] Failed to set up input volume analyser:",t)}}setInputVolumeProvider(e){this.inputVolumeProvider=e}setOutputVolumeProvider(e){this.outputVolumeProvider=e}async setupAudioCapture(e){if(this.audioAdapter)try{let t=(r,i)=>{if(i>Je){let s=P(r),a=this.audioEventId++;this.handleMessage({type:"audio",audio_event:{audio_base_64:s,event_id:a}})}},n=await this.audioAdapter.setupOutputAnalysis(e,this.outputFormat,t,this.workletPaths);this.outputVolumeProvider=n.volumeProvider,this.outputAnalyser=n.analyser}catch(t){console.warn("Failed to set up audio capture:",t)}}setAudioVolume(e){this.audioAdapter?.setVolume(e)}async setAudioOutputDevice(e){if(!this.audioAdapter)throw new Error("Cannot set output device: no audio adapter available on this platform");await this.audioAdapter.setOutputDevice(e),this.outputDeviceId=e}async setAudioInputDevice(e){if(!this.isConnected||!this.room.localParticipant)throw new Error("Cannot change input device: room not connected or no local participant");let t=await this.createMicrophoneTrack(e);try{let n=this.room.localParticipant.getTrackPublication(_.Source.Microphone);n?.track&&await this.room.localParticipant.unpublishTrack(n.track),this._isMuted&&await t.mute(),await this.room.localParticipant.publishTrack(t,{name:"microphone",source:_.Source.Microphone})}catch(n){console.error("Failed to change input device:",n);let r=this.room.localParticipant.getTrackPublication(_.Source.Microphone);if(r?.track!==t&&t.stop(),!r?.track)try{await this.room.localParticipant.setMicrophoneEnabled(!this._isMuted);let i=this.room.localParticipant.getTrackPublication(_.Source.Microphone)?.track;i&&this.setupInputAnalyser(i.mediaStreamTrack)}catch(i){console.error("Failed to recover microphone after device switch error:",i)}throw n}this.setupInputAnalyser(t.mediaStreamTrack)}async enableMicrophone(e){if(!e){await this.room.localParticipant.setMicrophoneEnabled(!0);return}let t=await this.createMicrophoneTrack(e);try{await this.room.localParticipant.publishTrack(t,{name:"microphone",source:_.Source.Microphone})}catch(n){throw t.stop(),n}}createMicrophoneTrack(e){return de({deviceId:{exact:e},echoCancellation:!0,noiseSuppression:!0,autoGainControl:!0,channelCount:{ideal:1}})}};var Ke='Import the platform-specific entry point (e.g. @elevenlabs/client via the "browser" export).',Qe=Ke;function te(o){return new Error(`No ${o} registered. ${Qe}`)}var oe;function ge(o){oe=o}function _e(){if(oe)return oe;throw te("voice session setup strategy")}function ve(o){if(!(o instanceof w))throw new Error(`setupWebRTCSession requires a WebRTCConnection. Received: ${o?.constructor?.name??typeof o}`);return{connection:o,input:o.input,output:o.output,playbackEventTarget:null,detach:async()=>{}}}var B=new Map;function Xe(o,e){return e?`${o} ${e}`:o}function D(o,e){return async(t,n)=>{let r=Xe(o,n),i=B.get(r);if(i)return t.addModule(i);if(n)try{await t.addModule(n),B.set(r,n);return}catch(c){throw new Error(`Failed to load the ${o} worklet module from path: ${n}. Error: ${c}`)}let s=new Blob([e],{type:"application/javascript"}),a=URL.createObjectURL(s);try{await t.addModule(a),B.set(r,a);return}catch{URL.revokeObjectURL(a)}try{let l=`data:application/javascript;base64,${btoa(e)}`;await t.addModule(l),B.set(r,l)}catch{throw new Error(`Failed to load the ${o} worklet module. Make sure the browser supports AudioWorklets. If you are using a strict CSP, you may need to self-host the worklet files.`)}}}var ye=D("audioConcatProcessor",`/*
 * ulaw decoding logic taken from the wavefile library
 * https://github.com/rochars/wavefile/blob/master/lib/codecs/mulaw.js
 * USED BY @elevenlabs/client
 */

const decodeTable = [0, 132, 396, 924, 1980, 4092, 8316, 16764];

function decodeSample(muLawSample) {
  let sign;
  let exponent;
  let mantissa;
  let sample;
  muLawSample = ~muLawSample;
  sign = muLawSample & 0x80;
  exponent = (muLawSample >> 4) & 0x07;
  mantissa = muLawSample & 0x0f;
  sample = decodeTable[exponent] + (mantissa << (exponent + 3));
  if (sign !== 0) sample = -sample;

  return sample;
}

class AudioConcatProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.buffers = []; // Initialize an empty buffer
    this.cursor = 0;
    this.currentBuffer = null;
    this.wasInterrupted = false;
    this.finished = false;

    this.port.onmessage = ({ data }) => {
      switch (data.type) {
        case "setFormat":
          this.format = data.format;
          if (globalThis.LibSampleRate && sampleRate !== data.sampleRate) {
            globalThis.LibSampleRate.create(
              1,
              data.sampleRate,
              sampleRate
            ).then(resampler => {
              this.resampler = resampler;
            });
          }
          break;
        case "buffer":
          this.wasInterrupted = false;
          this.buffers.push(
            this.format === "ulaw"
              ? new Uint8Array(data.buffer)
              : new Int16Array(data.buffer)
          );
          break;
        case "interrupt":
          this.wasInterrupted = true;
          break;
        case "clearInterrupted":
          if (this.wasInterrupted) {
            this.wasInterrupted = false;
            this.buffers = [];
            this.currentBuffer = null;
          }
      }
    };
  }
  process(_, outputs) {
    let finished = false;
    const output = outputs[0][0];
    for (let i = 0; i < output.length; i++) {
      if (!this.currentBuffer) {
        if (this.buffers.length === 0) {
          finished = true;
          break;
        }
        this.currentBuffer = this.buffers.shift();
        if (this.resampler) {
          this.currentBuffer = this.resampler.full(this.currentBuffer);
        }
        this.cursor = 0;
      }

      let value = this.currentBuffer[this.cursor];
      if (this.format === "ulaw") {
        value = decodeSample(value);
      }
      output[i] = value / 32768;
      this.cursor++;

      if (this.cursor >= this.currentBuffer.length) {
        this.currentBuffer = null;
      }
    }

    if (this.finished !== finished) {
      this.finished = finished;
      this.port.postMessage({ type: "process", finished });
    }

    return true; // Continue processing
  }
}

registerProcessor("audioConcatProcessor", AudioConcatProcessor);
`);var Ze="https://cdn.jsdelivr.net/npm/@alexanderolsen/libsamplerate-js@2.1.2/dist/libsamplerate.worklet.js";async function $(o,e){let t=e||Ze;await o.audioWorklet.addModule(t)}function Ce(o){if(o.length===0)return 0;let e=0;for(let t=0;t<o.length;t++)e+=o[t]/255;return e/=o.length,e<0?0:e>1?1:e}function b(o,e){let t=o.frequencyBinCount,n,r;return{getVolume(){return n??=new Uint8Array(t),r??=new Uint8Array(t),o.getByteFrequencyData(n),ee(n,r,e),Ce(r)},getByteFrequencyData(i){n??=new Uint8Array(t),o.getByteFrequencyData(n),ee(n,i,e)}}}function v(){return["iPad Simulator","iPhone Simulator","iPod Simulator","iPad","iPhone","iPod"].includes(navigator.platform)||navigator.userAgent.includes("Mac")&&"ontouchend"in document}function Se(){return/android/i.test(navigator.userAgent)}function et({sampleRate:o,format:e,worklet:t,audioElement:n}){if(!v())return;let i=Math.floor(o*100/1e3),s=e==="ulaw"?new Uint8Array(i).fill(255):new Int16Array(i);t.port.postMessage({type:"buffer",buffer:s.buffer}),n.play().catch(()=>{})}var q=class o{context;analyser;gain;worklet;audioElement;static async create({sampleRate:e,format:t,outputDeviceId:n,workletPaths:r,libsampleratePath:i,audioContext:s}){let a=s??null,c=null;try{let l=navigator.mediaDevices.getSupportedConstraints().sampleRate;a||(a=new AudioContext(l?{sampleRate:e}:{}));let u=a.createAnalyser(),d=a.createGain();c=new Audio,c.src="",c.load(),c.autoplay=!0,c.style.display="none",document.body.appendChild(c);let h=a.createMediaStreamDestination();c.srcObject=h.stream,d.connect(u),u.connect(h),(!l||a.sampleRate!==e)&&(a.sampleRate!==e&&console.warn(`[ConversationalAI] Sample rate ${e} not available, resampling to ${a.sampleRate}`),await $(a,i)),await ye(a.audioWorklet,r?.audioConcatProcessor);let p=new AudioWorkletNode(a,"audioConcatProcessor");return p.port.postMessage({type:"setFormat",format:t,sampleRate:e}),p.connect(d),await a.resume(),et({sampleRate:e,format:t,worklet:p,audioElement:c}),n&&c.setSinkId&&await c.setSinkId(n),new o(a,u,d,p,c)}catch(l){throw c?.parentNode&&c.parentNode.removeChild(c),c?.pause(),a&&a.state!=="closed"&&await a.close(),l}}volume=1;interrupted=!1;interruptTimeout=null;volumeProvider;constructor(e,t,n,r,i){this.context=e,this.analyser=t,this.gain=n,this.worklet=r,this.audioElement=i,this.worklet.port.start(),this.volumeProvider=b(t,e.sampleRate)}getAnalyser(){return this.analyser}getVolume(){return this.volumeProvider.getVolume()}getByteFrequencyData(e){this.volumeProvider.getByteFrequencyData(e)}addListener(e){this.worklet.port.addEventListener("message",e)}removeListener(e){this.worklet.port.removeEventListener("message",e)}setVolume(e){this.volume=e,this.gain.gain.value=e}playAudio(e){this.gain.gain.cancelScheduledValues(this.context.currentTime),this.gain.gain.value=this.volume,this.interruptTimeout&&(clearTimeout(this.interruptTimeout),this.interruptTimeout=null),this.worklet.port.postMessage({type:"clearInterrupted"}),this.worklet.port.postMessage({type:"buffer",buffer:e})}interrupt(e=2e3){this.interrupted=!0,this.interruptTimeout&&(clearTimeout(this.interruptTimeout),this.interruptTimeout=null),this.worklet.port.postMessage({type:"interrupt"}),this.gain.gain.exponentialRampToValueAtTime(1e-4,this.context.currentTime+e/1e3),this.interruptTimeout=setTimeout(()=>{this.interrupted=!1,this.gain.gain.value=this.volume,this.worklet.port.postMessage({type:"clearInterrupted"}),this.interruptTimeout=null},e)}async setDevice(e){if(!("setSinkId"in HTMLAudioElement.prototype))throw new Error("setSinkId is not supported in this browser");let t=e?.outputDeviceId;await this.audioElement.setSinkId(t||"")}async close(){this.interruptTimeout&&(clearTimeout(this.interruptTimeout),this.interruptTimeout=null),this.audioElement.parentNode&&this.audioElement.parentNode.removeChild(this.audioElement),this.audioElement.pause(),await this.context.close()}};var H=D("rawAudioProcessor",`/*
 * ulaw encoding logic taken from the wavefile library
 * https://github.com/rochars/wavefile/blob/master/lib/codecs/mulaw.js
 * USED BY @elevenlabs/client
 */

const BIAS = 0x84;
const CLIP = 32635;
const encodeTable = [
  0,0,1,1,2,2,2,2,3,3,3,3,3,3,3,3,
  4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,4,
  5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
  5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,5,
  6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,
  6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,
  6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,
  6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,6,
  7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,
  7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,
  7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,
  7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,
  7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,
  7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,
  7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,
  7,7,7,7,7,7,7,7,7,7,7,7,7,7,7,7
];

function encodeSample(sample) {
  let sign;
  let exponent;
  let mantissa;
  let muLawSample;
  sign = (sample >> 8) & 0x80;
  if (sign !== 0) sample = -sample;
  sample = sample + BIAS;
  if (sample > CLIP) sample = CLIP;
  exponent = encodeTable[(sample>>7) & 0xFF];
  mantissa = (sample >> (exponent+3)) & 0x0F;
  muLawSample = ~(sign | (exponent << 4) | mantissa);
  
  return muLawSample;
}

class RawAudioProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
              
    this.port.onmessage = ({ data }) => {
      switch (data.type) {
        case "setFormat":
          this.isMuted = false;
          this.buffer = []; // Initialize an empty buffer
          const chunkDurationMs = data.chunkDurationMs ?? 25;
          this.bufferSize = Math.max(
            1,
            Math.round((data.sampleRate * chunkDurationMs) / 1000)
          );
          this.format = data.format;

          if (globalThis.LibSampleRate && sampleRate !== data.sampleRate) {
            globalThis.LibSampleRate.create(1, sampleRate, data.sampleRate).then(resampler => {
              this.resampler = resampler;
            });
          }
          break;
        case "setMuted":
          this.isMuted = data.isMuted;
          break;
      }
    };
  }
  process(inputs) {
    if (!this.buffer) {
      return true;
    }
    
    const input = inputs[0]; // Get the first input node
    if (input.length > 0) {
      let channelData = input[0]; // Get the first channel's data

      // Resample the audio if necessary
      if (this.resampler) {
        channelData = this.resampler.full(channelData);
      }

      // Add channel data to the buffer
      this.buffer.push(...channelData);
      // Get max volume 
      let sum = 0.0;
      for (let i = 0; i < channelData.length; i++) {
        sum += channelData[i] * channelData[i];
      }
      const maxVolume = Math.sqrt(sum / channelData.length);
      // Check if buffer size has reached or exceeded the threshold
      if (this.buffer.length >= this.bufferSize) {
        const float32Array = this.isMuted 
          ? new Float32Array(this.buffer.length)
          : new Float32Array(this.buffer);

        let encodedArray = this.format === "ulaw"
          ? new Uint8Array(float32Array.length)
          : new Int16Array(float32Array.length);

        // Iterate through the Float32Array and convert each sample to PCM16
        for (let i = 0; i < float32Array.length; i++) {
          // Clamp the value to the range [-1, 1]
          let sample = Math.max(-1, Math.min(1, float32Array[i]));

          // Scale the sample to the range [-32768, 32767]
          let value = sample < 0 ? sample * 32768 : sample * 32767;
          if (this.format === "ulaw") {
            value = encodeSample(Math.round(value));
          }

          encodedArray[i] = value;
        }

        // Send the buffered data to the main script
        this.port.postMessage([encodedArray, maxVolume]);

        // Clear the buffer after sending
        this.buffer = [];
      }
    }
    return true; // Continue processing
  }
}
registerProcessor("rawAudioProcessor", RawAudioProcessor);
`);var we={echoCancellation:!0,noiseSuppression:!0,autoGainControl:!0,channelCount:{ideal:1}},j=class o{context;analyser;worklet;inputStream;mediaStreamSource;permissions;onError;static async create({sampleRate:e,format:t,preferHeadphonesForIosDevices:n,inputDeviceId:r,workletPaths:i,libsampleratePath:s,onError:a,inputChunkDurationMs:c=25}){let l=null,u=null;try{let d={sampleRate:{ideal:e},...we};if(v()&&n){let ie=(await window.navigator.mediaDevices.enumerateDevices()).find(se=>se.kind==="audioinput"&&["airpod","headphone","earphone"].find(qe=>se.label.toLowerCase().includes(qe)));ie&&(d.deviceId={ideal:ie.deviceId})}r&&(d.deviceId=o.getDeviceIdConstraint(r));let h=navigator.mediaDevices.getSupportedConstraints().sampleRate;l=new window.AudioContext(h?{sampleRate:e}:{});let p=l.createAnalyser();h||await $(l,s),await H(l.audioWorklet,i?.rawAudioProcessor);let f={voiceIsolation:!0,...d};u=await navigator.mediaDevices.getUserMedia({audio:f});let m=l.createMediaStreamSource(u),y=new AudioWorkletNode(l,"rawAudioProcessor");y.port.postMessage({type:"setFormat",format:t,sampleRate:e,chunkDurationMs:c}),m.connect(p),p.connect(y),await l.resume();let $e=await navigator.permissions.query({name:"microphone"});return new o(l,p,y,u,m,$e,a)}catch(d){throw u?.getTracks().forEach(h=>{h.stop()}),l?.close(),d}}static getDeviceIdConstraint(e){if(e)return v()?{ideal:e}:{exact:e}}muted=!1;volumeProvider;constructor(e,t,n,r,i,s,a=console.error){this.context=e,this.analyser=t,this.worklet=n,this.inputStream=r,this.mediaStreamSource=i,this.permissions=s,this.onError=a,this.permissions.addEventListener("change",this.handlePermissionsChange),this.worklet.port.start(),this.volumeProvider=b(t,e.sampleRate)}getAnalyser(){return this.analyser}getVolume(){return this.muted?0:this.volumeProvider.getVolume()}getByteFrequencyData(e){if(this.muted){e.fill(0);return}this.volumeProvider.getByteFrequencyData(e)}isMuted(){return this.muted}addListener(e){this.worklet.port.addEventListener("message",e)}removeListener(e){this.worklet.port.removeEventListener("message",e)}forgetInputStreamAndSource(){for(let e of this.inputStream.getTracks())e.stop();this.mediaStreamSource.disconnect()}async close(){this.forgetInputStreamAndSource(),this.permissions.removeEventListener("change",this.handlePermissionsChange),await this.context.close()}async setMuted(e){this.muted=e,this.worklet.port.postMessage({type:"setMuted",isMuted:e})}settingInput=!1;async setDevice(e){try{if(this.settingInput)throw new Error("Input device is already being set");this.settingInput=!0;let t=e?.inputDeviceId,n={...we};t&&(n.deviceId=o.getDeviceIdConstraint(t));let r={voiceIsolation:!0,...n},i=await navigator.mediaDevices.getUserMedia({audio:r});this.forgetInputStreamAndSource(),this.inputStream=i,this.mediaStreamSource=this.context.createMediaStreamSource(i),this.mediaStreamSource.connect(this.analyser)}catch(t){throw this.onError("Failed to switch input device:",t),t}finally{this.settingInput=!1}}handlePermissionsChange=()=>{if(this.permissions.state==="denied")this.onError("Microphone permission denied");else if(!this.settingInput){let[e]=this.inputStream.getAudioTracks(),{deviceId:t}=e?.getSettings()??{};this.setDevice({inputDeviceId:t}).catch(n=>{this.onError("Failed to reset input device after permission change:",n)})}}};var tt="enclave_setup_config";function Ae(o){return{url:o.url,...o.hmacSecret!==void 0?{hmac_secret:o.hmacSecret}:{}}}function ke(o){let e={type:tt,agent_config_dict:o.agentConfig??null,override_agent_config_list:o.agentConfigOverrides??null,tools_config_list:o.tools??null,prompt_knowledge_base:o.promptKnowledgeBase??null};return o.bedrockInferenceProfile!==void 0&&(e.bedrock_inference_profile=o.bedrockInferenceProfile),o.postCallTranscriptionWebhook&&(e.post_call_transcription_webhook=Ae(o.postCallTranscriptionWebhook)),o.postCallAudioWebhook&&(e.post_call_audio_webhook=Ae(o.postCallAudioWebhook)),e}var ot="convai",nt="wss://api.elevenlabs.io",rt="/v1/convai/conversation?agent_id=",A=class o extends E{socket;conversationId;inputFormat;outputFormat;outputListeners=new Set;pendingAudioEvents=[];constructor(e,t,n,r){super(),this.socket=e,this.conversationId=t,this.inputFormat=n,this.outputFormat=r,this.socket.addEventListener("error",i=>{setTimeout(()=>this.disconnect({reason:"error",message:"The connection was closed due to a socket error.",context:{type:i.type}}),0)}),this.socket.addEventListener("close",i=>{let s=i.code,a=i.reason||void 0,c={type:i.type,code:s,reason:a};this.disconnect(s===1e3?{reason:"agent",context:c,closeCode:s,closeReason:a}:{reason:"error",message:a||"The connection was closed by the server.",context:c,closeCode:s,closeReason:a})}),this.socket.addEventListener("message",i=>{try{let s=JSON.parse(i.data);if(!x(s)){this.debug({type:"invalid_event",message:"Received invalid socket event",data:i.data});return}this.handleMessage(s)}catch(s){this.debug({type:"parsing_error",message:"Failed to parse socket message",error:s instanceof Error?s.message:String(s),data:i.data})}})}static async create(e){let t=null;try{let n,r,{name:i,version:s}=S;if(e.orchestrator)n=e.orchestrator.url;else{let p=e.origin??nt;if(e.signedUrl){let f=e.signedUrl.includes("?")?"&":"?";n=`${e.signedUrl}${f}source=${i}&version=${s}`}else n=`${p}${rt}${e.agentId}&source=${i}&version=${s}`;e.environment&&(n+=`&environment=${encodeURIComponent(e.environment)}`),r=[ot],e.authorization&&r.push(`bearer.${e.authorization}`)}t=new WebSocket(n,r);let a=await new Promise((p,f)=>{t.addEventListener("open",()=>{e.orchestrator&&t?.send(JSON.stringify(ke(e.orchestrator)));let m=W(e);t?.send(JSON.stringify(m))},{once:!0}),t.addEventListener("error",m=>{setTimeout(()=>f(new R("The connection was closed due to a socket error.")),0)}),t.addEventListener("close",m=>{let y=m.reason||(m.code===1e3?"Connection closed normally before session could be established.":"Connection closed unexpectedly before session could be established.");f(new R(y,{closeCode:m.code,closeReason:m.reason||void 0}))}),t.addEventListener("message",m=>{let y=JSON.parse(m.data);x(y)&&(y.type==="conversation_initiation_metadata"?p(y.conversation_initiation_metadata_event):console.warn("First received message is not conversation metadata."))},{once:!0})}),{conversation_id:c,agent_output_audio_format:l,user_input_audio_format:u}=a,d=I(u??"pcm_16000"),h=I(l);return new o(t,c,d,h)}catch(n){throw t?.close(),n}}close(){this.pendingAudioEvents=[],this.socket.close(1e3,"User ended conversation")}sendMessage(e){this.handleOutgoingMessage(e),this.socket.send(JSON.stringify(e))}addListener(e){let t=this.outputListeners.size>0;if(this.outputListeners.add(e),t||this.pendingAudioEvents.length===0)return;let n=this.pendingAudioEvents;this.pendingAudioEvents=[];for(let r of n)e(r)}removeListener(e){this.outputListeners.delete(e)}handleMessage(e){if(super.handleMessage(e),e.type==="audio"&&e.audio_event.audio_base_64){let t={audio_base_64:e.audio_event.audio_base_64};if(this.outputListeners.size===0){this.pendingAudioEvents.push(t);return}this.outputListeners.forEach(n=>n(t))}}};function Te(o,e){let t=n=>{let r=n.data[0];e.sendMessage({user_audio_chunk:P(r.buffer)})};return o.addListener(t),()=>{o.removeListener(t)}}function Ee(o,e){let t=n=>{e.playAudio(pe(n.audio_base_64))};return o.addListener(t),()=>{o.removeListener(t)}}function it(o){let e="signedUrl"in o&&o.signedUrl,t="orchestrator"in o&&o.orchestrator;if(e&&o.connectionType==="webrtc")throw new Error("signedUrl only supports websocket connections. Remove connectionType or set it to 'websocket'.");if(t&&o.connectionType==="webrtc")throw new Error("Orchestrator sessions only support websocket connections. Remove connectionType or set it to 'websocket'.");if(t&&(e||"conversationToken"in o&&o.conversationToken||o.authorization))throw new Error("The orchestrator option cannot be combined with signedUrl, conversationToken or authorization.");return o.connectionType?o.connectionType:"conversationToken"in o&&o.conversationToken?"webrtc":e||t||o.textOnly?"websocket":"webrtc"}async function L(o){let e=it(o);switch(e){case"websocket":return A.create(o);case"webrtc":return w.create(o);default:throw new Error(`Unknown connection type: ${e}`)}}var st={default:0,android:3e3};function G(o,e="default"){let t=o??st;return e==="android"?t.android??t.default:e==="ios"?t.ios??t.default:t.default}async function z(o){o>0&&await new Promise(e=>setTimeout(e,o))}var at=3e4,ct=["touchstart","touchend","click"],T=null,k=null,Ie=!1;function lt(o){let e=o.createBuffer(1,1,22050),t=o.createBufferSource();t.buffer=e,t.connect(o.destination),t.start(0),o.resume().catch(()=>{})}function ut(){k&&clearTimeout(k),k=setTimeout(()=>{k=null,J()},at)}function Me(){k&&(clearTimeout(k),k=null)}function dt(){if(!v()||T)return;let o=new AudioContext;lt(o),T=o,ut()}function Re(){if(!v()||Ie||typeof document>"u")return;Ie=!0;let o=()=>{dt()};for(let e of ct)document.addEventListener(e,o,!0)}function xe(){let o=T;return T=null,Me(),o}function J(){T&&(T.close().catch(()=>{}),T=null,Me())}function pt(){return Se()?"android":v()?"ios":"default"}async function Pe(){if("wakeLock"in navigator)try{return await navigator.wakeLock.request("screen")}catch{}return null}async function ht(o,e,t){let[n,r]=await Promise.all([j.create({...e.inputFormat,preferHeadphonesForIosDevices:o.preferHeadphonesForIosDevices,inputDeviceId:o.inputDeviceId,inputChunkDurationMs:o.inputChunkDurationMs,workletPaths:o.workletPaths,libsampleratePath:o.libsampleratePath}),q.create({...e.outputFormat,outputDeviceId:o.outputDeviceId,workletPaths:o.workletPaths,audioContext:t??void 0})]),i=Te(n,e),s=Ee(e,r);return{input:n,output:r,playbackEventTarget:r,detach:async()=>{i(),s()}}}async function mt(o){let e=o.useWakeLock??!0,t=null,n=null,r=null;try{e&&(t=await Pe()),n=await navigator.mediaDevices.getUserMedia({audio:!0});let i=pt();await z(G(o.connectionDelay,i));let s=await L(o),a;try{s instanceof A?(r=xe(),a={connection:s,...await ht(o,s,r)},r=null):(J(),a=ve(s))}catch(u){throw await r?.close().catch(()=>{}),r=null,s.close(),u}if(n){for(let u of n.getTracks())u.stop();n=null}let c=null;t&&(c=()=>{document.visibilityState==="visible"&&t?.released&&Pe().then(u=>{t=u})},document.addEventListener("visibilitychange",c));let l=a.detach;return{...a,detach:async()=>{await l(),c&&document.removeEventListener("visibilitychange",c);try{await t?.release(),t=null}catch{}}}}catch(i){if(n)for(let s of n.getTracks())s.stop();try{await t?.release(),t=null}catch{}throw J(),i}}ge(mt);var Y=class{audioElements=[];inputAudioContext=null;audioCaptureContext=null;async attachRemoteTrack(e,t){let n=e.attach();if(n.autoplay=!0,n.controls=!1,t&&n.setSinkId)try{await n.setSinkId(t)}catch(r){console.warn("Failed to set output device for new audio element:",r)}n.style.display="none",document.body.appendChild(n),this.audioElements.push(n)}setupInputAnalysis(e){this.inputAudioContext&&(this.inputAudioContext.close().catch(()=>{}),this.inputAudioContext=null);let t=new AudioContext,n=t.createAnalyser();return t.createMediaStreamSource(new MediaStream([e])).connect(n),this.inputAudioContext=t,{volumeProvider:b(n,t.sampleRate),analyser:n}}async setupOutputAnalysis(e,t,n,r){this.audioCaptureContext&&(this.audioCaptureContext.close().catch(()=>{}),this.audioCaptureContext=null);let i=new AudioContext;this.audioCaptureContext=i;let s=i.createAnalyser();s.fftSize=2048,s.smoothingTimeConstant=.8;let a=new MediaStream([e.mediaStreamTrack]),c=i.createMediaStreamSource(a),l=b(s,i.sampleRate);await H(i.audioWorklet,r?.rawAudioProcessor);let u=new AudioWorkletNode(i,"rawAudioProcessor");return u.port.postMessage({type:"setFormat",format:t.format,sampleRate:t.sampleRate}),u.port.onmessage=d=>{let[h,p]=d.data;n(h.buffer,p)},c.connect(s),s.connect(u),{volumeProvider:l,analyser:s}}setVolume(e){for(let t of this.audioElements)t.volume=e}async setOutputDevice(e){if(!("setSinkId"in HTMLAudioElement.prototype))throw new Error("setSinkId is not supported in this browser");await Promise.all(this.audioElements.map(async t=>{try{await t.setSinkId(e)}catch(n){throw console.error("Failed to set sink ID for audio element:",n),n}}))}cleanup(){this.inputAudioContext&&(this.inputAudioContext.close().catch(e=>{console.warn("Error closing input audio context:",e)}),this.inputAudioContext=null),this.audioCaptureContext&&(this.audioCaptureContext.close().catch(e=>{console.warn("Error closing audio capture context:",e)}),this.audioCaptureContext=null);for(let e of this.audioElements)e.remove();this.audioElements=[]}};var ft=null;function De(o){ft=o}var Oe=D("scribeAudioProcessor",`/*
 * Scribe Audio Processor for converting microphone audio to PCM16 format
 * Supports resampling for browsers like Firefox that don't support
 * AudioContext sample rate constraints.
 * USED BY @elevenlabs/client
 */

class ScribeAudioProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    this.buffer = [];
    this.bufferSize = 4096; // Buffer size for optimal chunk transmission

    // Resampling state
    this.inputSampleRate = null;
    this.outputSampleRate = null;
    this.resampleRatio = 1;
    this.lastSample = 0;
    this.resampleAccumulator = 0;

    this.port.onmessage = ({ data }) => {
      if (data.type === "configure") {
        this.inputSampleRate = data.inputSampleRate;
        this.outputSampleRate = data.outputSampleRate;
        if (this.inputSampleRate && this.outputSampleRate) {
          this.resampleRatio = this.inputSampleRate / this.outputSampleRate;
        }
      }
    };
  }

  // Linear interpolation resampling
  resample(inputData) {
    if (this.resampleRatio === 1 || !this.inputSampleRate) {
      return inputData;
    }

    const outputSamples = [];

    for (let i = 0; i < inputData.length; i++) {
      const currentSample = inputData[i];

      // Generate output samples using linear interpolation
      while (this.resampleAccumulator < 1) {
        const interpolated =
          this.lastSample +
          (currentSample - this.lastSample) * this.resampleAccumulator;
        outputSamples.push(interpolated);
        this.resampleAccumulator += this.resampleRatio;
      }

      this.resampleAccumulator -= 1;
      this.lastSample = currentSample;
    }

    return new Float32Array(outputSamples);
  }

  process(inputs) {
    const input = inputs[0];
    if (input.length > 0) {
      let channelData = input[0]; // Get first channel (mono)

      // Resample if needed (for Firefox and other browsers that don't
      // support AudioContext sample rate constraints)
      if (this.resampleRatio !== 1) {
        channelData = this.resample(channelData);
      }

      // Add incoming audio to buffer
      for (let i = 0; i < channelData.length; i++) {
        this.buffer.push(channelData[i]);
      }

      // When buffer reaches threshold, convert and send
      if (this.buffer.length >= this.bufferSize) {
        const float32Array = new Float32Array(this.buffer);
        const int16Array = new Int16Array(float32Array.length);

        // Convert Float32 [-1, 1] to Int16 [-32768, 32767]
        for (let i = 0; i < float32Array.length; i++) {
          // Clamp the value to prevent overflow
          const sample = Math.max(-1, Math.min(1, float32Array[i]));
          // Scale to PCM16 range
          int16Array[i] = sample < 0 ? sample * 32768 : sample * 32767;
        }

        // Send to main thread as transferable ArrayBuffer
        this.port.postMessage(
          {
            audioData: int16Array.buffer
          },
          [int16Array.buffer]
        );

        // Clear buffer
        this.buffer = [];
      }
    }

    return true; // Continue processing
  }
}

registerProcessor("scribeAudioProcessor", ScribeAudioProcessor);

`);var ne=16e3,Le=async(o,e)=>{let t,n,r,i,s=()=>{for(let a of t?.getTracks()??[])a.stop();r?.disconnect(),i?.disconnect(),n?.close()};try{t=await navigator.mediaDevices.getUserMedia({audio:{deviceId:o.deviceId,echoCancellation:o.echoCancellation??!0,noiseSuppression:o.noiseSuppression??!0,autoGainControl:o.autoGainControl??!0,channelCount:o.channelCount??1,sampleRate:{ideal:ne}}});let[a]=t.getAudioTracks(),c=a?.getSettings().sampleRate;return n=new AudioContext(c?{sampleRate:c}:{}),await Oe(n.audioWorklet,o.workletPaths?.scribeAudioProcessor),r=n.createMediaStreamSource(t),i=new AudioWorkletNode(n,"scribeAudioProcessor"),n.sampleRate!==ne&&i.port.postMessage({type:"configure",inputSampleRate:n.sampleRate,outputSampleRate:ne}),i.port.onmessage=l=>{e(P(l.data.audioData))},r.connect(i),n.state==="suspended"&&await n.resume(),{mediaStreamTrack:a,cleanup:s}}catch(a){throw s(),a}};var gt="https://api.elevenlabs.io";async function Fe({conversationId:o,origin:e,file:t,filename:n}){let r=(e??gt).replace(/^wss:\/\//,"https://").replace(/^ws:\/\//,"http://"),i=n??("name"in t&&typeof t.name=="string"?t.name:`upload.${(t.type||"image/png").split("/").pop()?.split("+")[0]}`),s=new FormData;s.append("file",t,i);let a=await fetch(`${r}/v1/convai/conversations/${o}/files`,{method:"POST",body:s});if(!a.ok){let u=await N(a);throw new Error(`Upload failed: ${a.status} ${u}`)}let c=await a.json();ae(c,"Upload response is not a JSON object");let{file_id:l}=c;if(typeof l!="string"||!l)throw new Error("Upload response is missing a valid file_id");return{fileId:l}}var Ue={reason:"agent",context:{type:"end_call",reason:"Agent ended the call"}};function re(o){let{textOnly:e}=o.overrides?.conversation??{},{textOnly:t}=o;return typeof t=="boolean"?(typeof e=="boolean"&&t!==e&&console.warn(`Conflicting textOnly options provided: ${t} via options.textOnly (will be used) and ${e} via options.overrides.conversation.textOnly (will be ignored)`),t):typeof e=="boolean"?e:void 0}var C=class{options;connection;lastInterruptTimestamp=0;mode="listening";status="connecting";volume=1;currentEventId=1;canSendFeedback=!1;mcpApprovals=new Map;static getFullOptions(e){let t=re(e);return{clientTools:{},onConnect:()=>{},onDebug:()=>{},onDisconnect:()=>{},onError:()=>{},onMessage:()=>{},onAudio:()=>{},onModeChange:()=>{},onStatusChange:()=>{},onCanSendFeedbackChange:()=>{},onInterruption:()=>{},onAgentResponseCorrection:()=>{},onAgentTyping:()=>{},onExternalAgentConnected:()=>{},onExternalAgentDisconnected:()=>{},onPing:()=>{},...e,textOnly:t,overrides:{...e.overrides,conversation:{...e.overrides?.conversation,textOnly:t}}}}constructor(e,t){this.options=e,this.connection=t,this.connection.onMessage(this.onMessage),this.connection.onDisconnect(this.endSessionWithDetails),this.connection.onModeChange(n=>this.updateMode(n)),this.connection.onOutgoingMessage(this.onOutgoingMessage)}markConnected(){this.updateStatus("connected")}endSession(){return this.endSessionWithDetails({reason:"user"})}endSessionWithDetails=async e=>{if(!(this.status!=="connected"&&this.status!=="connecting")){this.updateStatus("disconnecting");for(let t of this.mcpApprovals.keys())this.markMCPApprovalStale(t);try{await this.handleEndSession()}finally{this.updateStatus("disconnected"),this.options.onDisconnect&&this.options.onDisconnect(e)}}};async handleEndSession(){this.connection.close()}updateMode(e){e!==this.mode&&(this.mode=e,this.options.onModeChange&&this.options.onModeChange({mode:e}))}updateStatus(e){e!==this.status&&(this.status=e,this.options.onStatusChange&&this.options.onStatusChange({status:e}),this.updateCanSendFeedback())}updateCanSendFeedback(){let e=this.status==="connected";this.canSendFeedback!==e&&(this.canSendFeedback=e,this.options.onCanSendFeedbackChange&&this.options.onCanSendFeedbackChange({canSendFeedback:e}))}handleInterruption(e){e.interruption_event&&(this.lastInterruptTimestamp=e.interruption_event.event_id,this.options.onInterruption&&this.options.onInterruption({event_id:e.interruption_event.event_id}))}handleAgentResponse(e){this.currentEventId=e.agent_response_event.event_id,this.options.onMessage&&this.options.onMessage({source:"ai",role:"agent",message:e.agent_response_event.agent_response,event_id:e.agent_response_event.event_id,attachments:e.agent_response_event.attachments})}handleAgentResponseCorrection(e){this.options.onAgentResponseCorrection&&this.options.onAgentResponseCorrection(e.agent_response_correction_event)}handleUserTranscript(e){this.options.onMessage&&this.options.onMessage({source:"user",role:"user",message:e.user_transcription_event.user_transcript,event_id:e.user_transcription_event.event_id})}handleTentativeAgentResponse(e){this.options.onDebug&&this.options.onDebug({type:"tentative_agent_response",response:e.tentative_agent_response_internal_event.tentative_agent_response})}handleVadScore(e){this.options.onVadScore&&this.options.onVadScore({vadScore:e.vad_score_event.vad_score})}handlePing(e){this.options.onPing&&this.options.onPing(e.ping_event)}handleContextUsage(e){this.options.onContextUsage&&this.options.onContextUsage(e.context_usage_event)}async handleClientToolCall(e){if(Object.prototype.hasOwnProperty.call(this.options.clientTools,e.client_tool_call.tool_name))try{let t=await this.options.clientTools[e.client_tool_call.tool_name](e.client_tool_call.parameters)??"Client tool execution successful.",n=typeof t=="object"?JSON.stringify(t):String(t);this.connection.sendMessage({type:"client_tool_result",tool_call_id:e.client_tool_call.tool_call_id,result:n,is_error:!1})}catch(t){this.onError(`Client tool execution failed with following error: ${t?.message}`,{clientToolName:e.client_tool_call.tool_name}),this.connection.sendMessage({type:"client_tool_result",tool_call_id:e.client_tool_call.tool_call_id,result:`Client tool execution failed: ${t?.message}`,is_error:!0})}else{if(this.options.onUnhandledClientToolCall){this.options.onUnhandledClientToolCall(e.client_tool_call);return}this.onError(`Client tool with name ${e.client_tool_call.tool_name} is not defined on client`,{clientToolName:e.client_tool_call.tool_name}),this.connection.sendMessage({type:"client_tool_result",tool_call_id:e.client_tool_call.tool_call_id,result:`Client tool with name ${e.client_tool_call.tool_name} is not defined on client`,is_error:!0})}}handleAudio(e){}async handleMCPToolCall(e){let t=e.mcp_tool_call;if(this.options.onMCPToolCall&&this.options.onMCPToolCall(t),t.state!=="awaiting_approval"){this.markMCPApprovalStale(t.tool_call_id);return}let n=this.options.onMCPToolApprovalRequest;if(!n)return;if(this.status==="disconnecting"||this.status==="disconnected"){this.onError(`Ignored an approval request for MCP tool call ${t.tool_call_id}, which arrived after the session ended`,this.mcpApprovalErrorContext(t));return}if(this.mcpApprovals.has(t.tool_call_id)){this.onError(`Ignored a repeated approval request for MCP tool call ${t.tool_call_id}, which has already been handled`,this.mcpApprovalErrorContext(t));return}let r={state:"pending",controller:new AbortController};this.mcpApprovals.set(t.tool_call_id,r);let i;try{i=await n(t,{signal:r.controller.signal})}catch(s){this.onError(`MCP tool approval handler failed: ${s?.message}`,this.mcpApprovalErrorContext(t)),this.settleMCPApproval(t,!1);return}if(typeof i!="boolean"){this.onError(`MCP tool approval handler must resolve to a boolean, received ${typeof i}`,this.mcpApprovalErrorContext(t)),this.settleMCPApproval(t,!1);return}this.settleMCPApproval(t,i)}settleMCPApproval(e,t){let n=this.mcpApprovals.get(e.tool_call_id);if(!n||n.state!=="pending"){this.onError(`Discarded an approval decision for MCP tool call ${e.tool_call_id}, which is no longer awaiting approval`,this.mcpApprovalErrorContext(e));return}n.state="settled",this.sendMCPToolApprovalResult(e.tool_call_id,t)}markMCPApprovalStale(e){let t=this.mcpApprovals.get(e);!t||t.state!=="pending"||(t.state="stale",t.controller.abort())}mcpApprovalErrorContext(e){return{toolCallId:e.tool_call_id,toolName:e.tool_name,serviceId:e.service_id}}handleMCPConnectionStatus(e){this.options.onMCPConnectionStatus&&this.options.onMCPConnectionStatus(e.mcp_connection_status)}handleAgentToolRequest(e){this.options.onAgentToolRequest&&this.options.onAgentToolRequest(e.agent_tool_request)}handleAgentToolResponse(e){e.agent_tool_response.tool_name==="end_call"&&this.endSessionWithDetails(Ue).catch(t=>{this.onError("Failed to end session after agent end_call",t)}),this.options.onAgentToolResponse?.(e.agent_tool_response)}handleAgentToolResponseFullPayload(e){e.agent_tool_response_full_payload.tool_name==="end_call"&&this.endSessionWithDetails(Ue).catch(t=>{this.onError("Failed to end session after agent end_call",t)}),this.options.onAgentToolResponse?.(e.agent_tool_response_full_payload)}handleConversationMetadata(e){this.options.onConversationMetadata&&this.options.onConversationMetadata(e.conversation_initiation_metadata_event)}handleAsrInitiationMetadata(e){this.options.onAsrInitiationMetadata&&this.options.onAsrInitiationMetadata(e.asr_initiation_metadata_event)}handleAgentChatResponsePart(e){this.options.onAgentChatResponsePart&&this.options.onAgentChatResponsePart(e.text_response_part)}handleAgentReasoningResponsePart(e){this.options.onAgentReasoningResponsePart&&this.options.onAgentReasoningResponsePart(e.reasoning_response_part)}handleRichContent(e){this.options.onRichContent&&this.options.onRichContent(e.rich_content)}handleGuardrailTriggered(e){this.options.onGuardrailTriggered&&this.options.onGuardrailTriggered()}handleAgentTyping(e){this.options.onAgentTyping&&this.options.onAgentTyping(e.agent_typing_event)}handleExternalAgentConnected(e){this.options.onExternalAgentConnected&&this.options.onExternalAgentConnected()}handleExternalAgentDisconnected(e){this.options.onExternalAgentDisconnected&&this.options.onExternalAgentDisconnected()}handleErrorEvent(e){let t=e.error_event,n=t?.error_type,r=t?.message||t?.reason||"Unknown error";if(n==="max_duration_exceeded"){this.endSessionWithDetails({reason:"error",message:r,context:{type:"max_duration_exceeded"}}).catch(i=>{this.onError("Failed to end session after max_duration_exceeded",i)});return}this.onError(`Server error: ${r}`,{errorType:n,code:t?.code,debugMessage:t?.debug_message,details:t?.details})}onMessage=async e=>{switch(this.options.onIncomingEvent?.(e),e.type){case"interruption":{this.handleInterruption(e);return}case"agent_response":{this.handleAgentResponse(e);return}case"agent_response_correction":{this.handleAgentResponseCorrection(e);return}case"user_transcript":{this.handleUserTranscript(e);return}case"internal_tentative_agent_response":{this.handleTentativeAgentResponse(e);return}case"client_tool_call":{try{await this.handleClientToolCall(e)}catch(t){this.onError(`Unexpected error in client tool call handling: ${t instanceof Error?t.message:String(t)}`,{clientToolName:e.client_tool_call.tool_name,toolCallId:e.client_tool_call.tool_call_id})}return}case"audio":{this.handleAudio(e);return}case"vad_score":{this.handleVadScore(e);return}case"ping":{this.connection.sendMessage({type:"pong",event_id:e.ping_event.event_id}),this.handlePing(e);return}case"context_usage":{this.handleContextUsage(e);return}case"mcp_tool_call":{try{await this.handleMCPToolCall(e)}catch(t){this.onError(`Unexpected error in MCP tool call handling: ${t instanceof Error?t.message:String(t)}`,{toolCallId:e.mcp_tool_call.tool_call_id,toolName:e.mcp_tool_call.tool_name})}return}case"mcp_connection_status":{this.handleMCPConnectionStatus(e);return}case"agent_tool_request":{this.handleAgentToolRequest(e);return}case"agent_tool_response":{this.handleAgentToolResponse(e);return}case"agent_tool_response_full_payload":{this.handleAgentToolResponseFullPayload(e);return}case"conversation_initiation_metadata":{this.handleConversationMetadata(e);return}case"asr_initiation_metadata":{this.handleAsrInitiationMetadata(e);return}case"agent_chat_response_part":{this.handleAgentChatResponsePart(e);return}case"agent_reasoning_response_part":{this.handleAgentReasoningResponsePart(e);return}case"rich_content":{this.handleRichContent(e);return}case"guardrail_triggered":{this.handleGuardrailTriggered(e);return}case"error":{this.handleErrorEvent(e);return}case"agent_typing":{this.handleAgentTyping(e);return}case"external_agent_connected":{this.handleExternalAgentConnected(e);return}case"external_agent_disconnected":{this.handleExternalAgentDisconnected(e);return}default:{this.options.onDebug&&this.options.onDebug(e);return}}};onError(e,t){console.error(e,t),this.options.onError&&this.options.onError(e,t)}onOutgoingMessage=e=>{this.options.onOutgoingEvent?.(e)};getId(){return this.connection.conversationId}isOpen(){return this.status==="connected"}sendFeedback(e,t){if(!this.canSendFeedback){console.warn("Cannot send feedback: the conversation is not connected.");return}this.connection.sendMessage({type:"feedback",score:e!==null?e?"like":"dislike":null,event_id:t??this.currentEventId})}sendContextualUpdate(e,t){this.connection.sendMessage({type:"contextual_update",text:e,...t?.contextId?{context_id:t.contextId}:{}})}sendUserMessage(e,t){this.connection.sendMessage({type:"user_message",text:e,rich_content_id:t?.richContentId??void 0})}sendUserActivity(){this.connection.sendMessage({type:"user_activity"})}sendMCPToolApprovalResult(e,t){this.connection.sendMessage({type:"mcp_tool_approval_result",tool_call_id:e,is_approved:t})}sendMultimodalMessage(e){let n=(e.fileIds?.length?e.fileIds:e.fileId?[e.fileId]:[]).map(r=>({type:"file_input",file_id:r}));this.connection.sendMessage({type:"multimodal_message",text:e.text?{type:"user_message",text:e.text}:void 0,file:n[0],files:n.length?n:void 0})}async uploadFile(e){if(this.options.orchestrator)throw new Error("uploadFile is not supported for self-hosted orchestrator sessions.");return Fe({conversationId:this.connection.conversationId,origin:this.options.origin,file:e})}};function Ne(){let o=["fetch","WebSocket","TextEncoder","TextDecoder","URL","btoa","atob"];for(let e of o)if(typeof globalThis[e]>"u")throw new Error(`${e} is not available in this environment.`)}var Ve=new Uint8Array(0),F=class o extends C{type="text";setVolume(){throw new Error("setVolume is not supported in text conversations")}setMicMuted(){throw new Error("setMicMuted is not supported in text conversations")}getInputByteFrequencyData(){return Ve}getOutputByteFrequencyData(){return Ve}getInputVolume(){return 0}getOutputVolume(){return 0}static async startSession(e){let t=C.getFullOptions(e);t.onStatusChange&&t.onStatusChange({status:"connecting"}),t.onCanSendFeedbackChange&&t.onCanSendFeedbackChange({canSendFeedback:!1}),t.onModeChange&&t.onModeChange({mode:"listening"}),t.onCanSendFeedbackChange&&t.onCanSendFeedbackChange({canSendFeedback:!1});let n=null,r=null;try{return await z(G(t.connectionDelay)),n=await L(t),r=new o(t,n),t.onConversationCreated?.(r),r.markConnected(),t.onConnect?.({conversationId:n.conversationId}),r}catch(i){throw r?await r.endSession().catch(()=>{}):(t.onStatusChange?.({status:"disconnected"}),n?.close()),i}}};var U=class o extends C{input;output;playbackEventTarget;cleanUp;type="voice";static async startSession(e){let t=C.getFullOptions(e);t.onStatusChange&&t.onStatusChange({status:"connecting"}),t.onCanSendFeedbackChange&&t.onCanSendFeedbackChange({canSendFeedback:!1});let n=null,r=null;try{return r=await _e()(t),n=new o(t,r.connection,r.input,r.output,r.playbackEventTarget,r.detach),t.onConversationCreated?.(n),n.markConnected(),t.onConnect?.({conversationId:r.connection.conversationId}),n}catch(i){throw n?await n.endSession().catch(()=>{}):(r&&await r.detach().catch(()=>{}),t.onStatusChange?.({status:"disconnected"})),i}}inputFrequencyData;outputFrequencyData;handlePlaybackEvent=e=>{e.data.type==="process"&&this.updateMode(e.data.finished?"listening":"speaking")};constructor(e,t,n,r,i,s){super(e,t),this.input=n,this.output=r,this.playbackEventTarget=i,this.cleanUp=s,i?.addListener(this.handlePlaybackEvent)}async handleEndSession(){this.playbackEventTarget?.removeListener(this.handlePlaybackEvent),this.playbackEventTarget=null,await this.cleanUp(),await super.handleEndSession(),await this.input.close(),await this.output.close()}handleInterruption(e){super.handleInterruption(e),this.updateMode("listening"),this.output.interrupt()}handleAudio(e){super.handleAudio(e),e.audio_event.alignment&&this.options.onAudioAlignment&&this.options.onAudioAlignment(e.audio_event.alignment),this.lastInterruptTimestamp<=e.audio_event.event_id&&(e.audio_event.audio_base_64&&this.options.onAudio?.(e.audio_event.audio_base_64),this.currentEventId=e.audio_event.event_id,this.updateCanSendFeedback(),this.updateMode("speaking"))}static FREQUENCY_BIN_COUNT=1024;setMicMuted(e){this.input.setMuted(e).catch(t=>{this.options.onError?.("Failed to set input muted state",t)})}getInputByteFrequencyData(){return this.inputFrequencyData??=new Uint8Array(o.FREQUENCY_BIN_COUNT),this.input.getByteFrequencyData(this.inputFrequencyData),this.inputFrequencyData}getOutputByteFrequencyData(){return this.outputFrequencyData??=new Uint8Array(o.FREQUENCY_BIN_COUNT),this.output.getByteFrequencyData(this.outputFrequencyData),this.outputFrequencyData}getInputVolume(){return this.input.getVolume()}getOutputVolume(){return this.output.getVolume()}async changeInputDevice({sampleRate:e,format:t,preferHeadphonesForIosDevices:n,inputDeviceId:r}){try{await this.input.setDevice({inputDeviceId:r,sampleRate:e,format:t,preferHeadphonesForIosDevices:n})}catch(i){throw console.error("Error changing input device",i),i}}async changeOutputDevice({sampleRate:e,format:t,outputDeviceId:n}){try{await this.output.setDevice({outputDeviceId:n,sampleRate:e,format:t})}catch(r){throw console.error("Error changing output device",r),r}}setVolume=({volume:e})=>{let t=Number.isFinite(e)?Math.min(1,Math.max(0,e)):1;this.volume=t,this.output.setVolume(t)}};var K;(function(o){o.SESSION_STARTED="session_started",o.PARTIAL_TRANSCRIPT="partial_transcript",o.FINAL_TRANSCRIPT="final_transcript",o.FINAL_TRANSCRIPT_WITH_TIMESTAMPS="final_transcript_with_timestamps",o.COMMITTED_TRANSCRIPT="committed_transcript",o.COMMITTED_TRANSCRIPT_WITH_TIMESTAMPS="committed_transcript_with_timestamps",o.COMMITTED_TRANSCRIPT_ENTITIES="committed_transcript_entities",o.AUTH_ERROR="auth_error",o.ERROR="error",o.OPEN="open",o.CLOSE="close",o.QUOTA_EXCEEDED="quota_exceeded",o.COMMIT_THROTTLED="commit_throttled",o.TRANSCRIBER_ERROR="transcriber_error",o.UNACCEPTED_TERMS="unaccepted_terms",o.RATE_LIMITED="rate_limited",o.INPUT_ERROR="input_error",o.INVALID_REQUEST="invalid_request",o.QUEUE_OVERFLOW="queue_overflow",o.RESOURCE_EXHAUSTED="resource_exhausted",o.SESSION_TIME_LIMIT_EXCEEDED="session_time_limit_exceeded",o.CHUNK_SIZE_EXCEEDED="chunk_size_exceeded",o.INSUFFICIENT_AUDIO_ACTIVITY="insufficient_audio_activity"})(K||(K={}));var Q;(function(o){o.PCM_8000="pcm_8000",o.PCM_16000="pcm_16000",o.PCM_22050="pcm_22050",o.PCM_24000="pcm_24000",o.PCM_44100="pcm_44100",o.PCM_48000="pcm_48000",o.ULAW_8000="ulaw_8000"})(Q||(Q={}));var X;(function(o){o.MANUAL="manual",o.VAD="vad"})(X||(X={}));var Be={async startSession(o){return Ne(),re(o)?F.startSession(o):U.startSession(o)}};Re();me(()=>new Y);De(Le);async function tr(o,e){let t=o.agentConfig.overrides,n=await Be.startSession({signedUrl:o.signedUrl,connectionType:"websocket",overrides:{agent:{prompt:{prompt:t.agent.prompt.prompt},firstMessage:t.agent.firstMessage,language:t.agent.language},tts:{voiceId:t.tts.voiceId}},dynamicVariables:o.agentConfig.dynamicVariables,onConnect:({conversationId:r})=>e.connected(r),onMessage:({source:r,message:i})=>e.line(r==="user"?"user":"assistant",i),onDisconnect:r=>e.ended(r.reason),onError:r=>e.error(String(r))});return{end:()=>n.endSession(),conversationId:()=>n.getId()}}export{tr as startVoice};
