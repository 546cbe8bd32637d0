/**
 * Timewarrior intervals → Dash entries: which tag is the project, what is billable.
 */

/** @typedef {import('./parse.js').Interval} Interval */
/** @typedef {import('dash-core').EntryInput} EntryInput */
/** @typedef {import('dash-core').ProjectInput} ProjectInput */

/**
 * @typedef {object} ProjectOption
 * @property {string} name
 * @property {string} [client]
 * @property {string} [color]
 * @property {boolean} [billable]
 */

/**
 * @typedef {object} MappingOptions
 * @property {Record<string, string | ProjectOption>} projects  tag → project
 * @property {'first-tag' | 'none'} default_project  what an interval with no mapped tag gets
 * @property {string[]} billable_tags  any of these tags makes an interval billable
 */

/**
 * The project an interval belongs to: the first of its tags (in Timewarrior's order) that
 * `projects` maps; else, with default_project = "first-tag", its first tag; else none.
 * @param {string[]} tags
 * @param {MappingOptions} options
 * @returns {{ tag: string, project: ProjectInput, billable: boolean } | null}
 */
export function projectOf(tags, options) {
  for (const tag of tags) {
    const mapped = options.projects[tag];
    if (mapped === undefined) continue;
    const project = typeof mapped === 'string' ? { name: mapped } : mapped;
    return {
      tag,
      project: { key: tag, name: project.name, client: project.client ?? null, color: project.color ?? null },
      billable: project.billable === true,
    };
  }
  const first = tags.find((tag) => !options.billable_tags.includes(tag));
  if (options.default_project === 'first-tag' && first !== undefined) {
    return { tag: first, project: { key: first, name: first, client: null, color: null }, billable: false };
  }
  return null;
}

/**
 * A Dash entry for an interval. Its id is its start (Timewarrior intervals never overlap), so
 * the running interval keeps its id when it is stopped.
 * @param {Interval} interval
 * @param {MappingOptions} options
 * @returns {EntryInput}
 */
export function entryOf(interval, options) {
  const mapped = projectOf(interval.tags, options);
  const others = interval.tags.filter((tag) => tag !== mapped?.tag);
  return {
    id: interval.start,
    start: interval.start,
    end: interval.end,
    project: mapped?.project ?? null,
    description: interval.annotation || others.join(', '),
    billable: (mapped?.billable ?? false) || interval.tags.some((tag) => options.billable_tags.includes(tag)),
    tags: interval.tags,
  };
}
