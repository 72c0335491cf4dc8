import type { ReadonlySignal } from '@preact/signals';

/** One row of a `<dl class="fields">`: `[data-field]` key, label, value (a signal updates its text in place). */
export interface Field {
  key: string;
  label: string;
  value: string | ReadonlySignal<string>;
  class?: string;
}

export function FieldList({ fields, class: cls = '' }: { fields: Field[]; class?: string }) {
  return (
    <dl class={`fields ${cls}`.trim()}>
      {fields.map((f) => [
        <dt key={`${f.key}-l`}>{f.label}</dt>,
        <dd key={f.key} data-field={f.key} class={f.class}>
          {f.value}
        </dd>,
      ])}
    </dl>
  );
}
