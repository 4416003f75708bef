/**
 * The rules a profile list must follow for KubeSpawner 7.1 to accept it, written from
 * the research notes on KubeSpawner 7.1 (kubespawner.md) §1.3, §2.2 and §6 (a checker for tests, independent of the generator).
 * Returns one message per violation; an empty list means KubeSpawner accepts the list.
 */
export function kubespawnerProblems(list: unknown): string[] {
  const problems: string[] = [];
  // Keys and slugs go verbatim into user_options and unescaped into the form's names, ids and a jQuery selector;
  // its script splits field names on "--" (form.html of KubeSpawner 7.1). Letters of either case, digits, "_", "."
  // and "-" are safe; a slug ending in "-" runs into that "--".
  const isKey = (text: string) => /^[A-Za-z0-9_.-]+$/.test(text) && !text.includes('--');
  const isSlug = (text: string) => isKey(text) && !text.endsWith('-');
  const memory = /^(\d+(\.\d+)?|\.\d+)[KMGT]$/;
  const traits = new Set([
    'image',
    'image_pull_policy',
    'cpu_limit',
    'cpu_guarantee',
    'mem_limit',
    'mem_guarantee',
    'node_selector',
    'extra_resource_limits',
    'extra_resource_guarantees',
    'tolerations',
    'environment',
    'default_url',
    'volumes',
    'volume_mounts',
    'working_dir',
    'init_containers',
    'extra_labels',
    'extra_annotations',
    'storage_capacity',
    'service_account',
    'extra_pod_config',
    'extra_container_config',
    'lifecycle_hooks',
    'cmd',
    'args',
    'uid',
    'gid',
    'fs_gid',
    'supplemental_gids',
    'start_timeout',
    'http_timeout',
    'priority_class_name',
    'scheduler_name',
    'node_affinity_required',
    'node_affinity_preferred',
    'image_pull_secrets',
    'privileged',
    'allow_privilege_escalation',
    'notebook_dir',
  ]);
  const displayString = (where: string, value: unknown) => {
    if (typeof value !== 'string') problems.push(`${where}: display string must be a string`);
    else if (/[<>"]/.test(value.replace(/<(\/?)(strong|em|code|a|br)\b[^>]*>/g, ''))) {
      problems.push(`${where}: unescaped markup ${JSON.stringify(value)}`);
    }
  };
  const checkNulls = (where: string, value: unknown): void => {
    if (value === null) problems.push(`${where}: null`);
    else if (Array.isArray(value)) value.forEach((v, i) => checkNulls(`${where}[${i}]`, v));
    else if (typeof value === 'object')
      for (const [k, v] of Object.entries(value)) checkNulls(`${where}.${k}`, v);
  };
  const checkOverride = (where: string, override: unknown, unlisted: boolean) => {
    if (typeof override !== 'object' || override === null || Array.isArray(override)) {
      problems.push(`${where}: kubespawner_override must be an object`);
      return;
    }
    for (const [key, value] of Object.entries(override)) {
      if (!traits.has(key)) problems.push(`${where}.${key}: not a KubeSpawner trait`);
      if ((key === 'cpu_limit' || key === 'cpu_guarantee') && typeof value !== 'number') {
        problems.push(`${where}.${key}: must be a number, got ${JSON.stringify(value)}`);
      }
      if (
        (key === 'mem_limit' || key === 'mem_guarantee') &&
        !(Number.isInteger(value) || memory.test(String(value)))
      ) {
        problems.push(`${where}.${key}: ${JSON.stringify(value)} is not a valid memory specification`);
      }
      if (
        ['node_selector', 'environment', 'extra_resource_limits', 'extra_resource_guarantees'].includes(key)
      ) {
        if (typeof value !== 'object' || value === null) problems.push(`${where}.${key}: must be a dict`);
        else
          for (const [k, v] of Object.entries(value)) {
            if (typeof v !== 'string') problems.push(`${where}.${key}.${k}: values must be strings`);
          }
      }
      if (!unlisted && JSON.stringify(value).includes('{value}'))
        problems.push(`${where}.${key}: {value} outside unlisted_choice`);
    }
  };

  if (!Array.isArray(list)) return ['profile_list must be a JSON list'];
  checkNulls('profile_list', list);
  const slugs = new Set<string>();
  let defaults = 0;
  list.forEach((profile: Record<string, unknown>, index) => {
    const at = `profile_list[${index}]`;
    if (typeof profile.display_name !== 'string' || profile.display_name === '')
      problems.push(`${at}: display_name required`);
    displayString(`${at}.display_name`, profile.display_name);
    if (typeof profile.slug !== 'string' || !isSlug(profile.slug))
      problems.push(`${at}: explicit slug required`);
    else if (slugs.has(profile.slug)) problems.push(`${at}: duplicate slug ${profile.slug}`);
    else slugs.add(profile.slug);
    if (profile.default !== undefined && profile.default !== true)
      problems.push(`${at}.default must be true or absent`);
    if (profile.default === true) defaults += 1;
    if (profile.description !== undefined) displayString(`${at}.description`, profile.description);
    if (profile.kubespawner_override !== undefined)
      checkOverride(`${at}.kubespawner_override`, profile.kubespawner_override, false);
    const options = profile.profile_options as Record<string, Record<string, unknown>> | undefined;
    for (const [optionKey, option] of Object.entries(options ?? {})) {
      const o = `${at}.profile_options.${optionKey}`;
      if (!isKey(optionKey) || optionKey.endsWith('unlisted-choice')) problems.push(`${o}: bad option key`);
      displayString(`${o}.display_name`, option.display_name);
      if ('kubespawner_override' in option)
        problems.push(`${o}: kubespawner_override on an option is ignored`);
      const choices = option.choices as Record<string, Record<string, unknown>> | undefined;
      if (typeof choices !== 'object' || choices === null) {
        problems.push(`${o}: choices object required by the form template`);
        continue;
      }
      const unlisted = option.unlisted_choice as Record<string, unknown> | undefined;
      if (Object.keys(choices).length === 0 && unlisted?.enabled !== true) problems.push(`${o}: no choices`);
      let choiceDefaults = 0;
      for (const [ck, choice] of Object.entries(choices)) {
        if (!isKey(ck) || ck === 'unlisted-choice') problems.push(`${o}.choices.${ck}: bad choice key`);
        displayString(`${o}.choices.${ck}.display_name`, choice.display_name);
        if (choice.default === true) choiceDefaults += 1;
        else if (choice.default !== undefined)
          problems.push(`${o}.choices.${ck}.default must be true or absent`);
        if (choice.kubespawner_override !== undefined)
          checkOverride(`${o}.choices.${ck}.kubespawner_override`, choice.kubespawner_override, false);
      }
      if (choiceDefaults > 1) problems.push(`${o}: more than one default choice`);
      if (unlisted) {
        const regex = unlisted.validation_regex;
        if (typeof regex === 'string') {
          if (regex.includes('"')) problems.push(`${o}.unlisted_choice.validation_regex contains a quote`);
          try {
            new RegExp(`^(?:${regex})$`, 'v');
          } catch {
            problems.push(`${o}.unlisted_choice.validation_regex does not compile in the browser`);
          }
        }
        for (const k of ['display_name', 'display_name_in_choices', 'validation_message']) {
          if (unlisted[k] !== undefined) displayString(`${o}.unlisted_choice.${k}`, unlisted[k]);
        }
        checkOverride(`${o}.unlisted_choice.kubespawner_override`, unlisted.kubespawner_override ?? {}, true);
      }
    }
  });
  if (defaults > 1) problems.push('more than one default profile');
  return problems;
}
