// A persona as the rep sees it before dialling: the public card, and the
// detail with the backstory. Hidden pains and objections are never shown
// here; the debrief reveals them.
import type { Persona } from "../api/client";

export function PersonaCard({ p, selected }: { p: Persona; selected: boolean }) {
  return (
    <li class={"persona" + (selected ? " selected" : "")}>
      <a href={`/practice/${p.id}${location.search}`} aria-current={selected ? "true" : undefined}>
        <span class="pname">{p.name}</span>
        <span class="prole">
          {p.role}, {p.company}
        </span>
        <span class="tags">
          <span class={`tag ${p.difficulty}`}>{p.difficulty}</span>
          <span class="tag">{p.personality}</span>
          <span class="tag">{p.industry}</span>
          {!p.isPreset && <span class="tag mine">yours</span>}
        </span>
      </a>
    </li>
  );
}

export function PersonaDetail({ p }: { p: Persona }) {
  return (
    <div class="detail">
      <h2 id="persona-name">{p.name}</h2>
      <p class="prole">
        {p.role} at {p.company} · {p.industry}
      </p>
      <p class="tags">
        <span class={`tag ${p.difficulty}`}>{p.difficulty}</span> <span class="tag">{p.personality}</span>
      </p>
      <h3>Backstory</h3>
      <p>{p.backstory}</p>
      <p class="hint">
        {p.name} has pains and objections you will have to uncover on the call; the debrief shows which you found.
      </p>
    </div>
  );
}
