import { Option } from './commander.js';

/** Flags every run understands, whatever the actions. */
export function globalOptions(): Option[] {
  return [
    new Option('--source <dir>', 'the config project directory').default(undefined, 'the current directory'),
    new Option('--silent', 'print nothing but errors'),
    new Option('--verbose', 'print debugging detail (never credentials)'),
    new Option('--no-color', 'no colour, also when NO_COLOR is set or output is not a terminal'),
    new Option('--json', 'print one JSON document on stdout instead of human output'),
    new Option('--debug', 'keep compiled code readable (not minified); cht-conf spells it `-- --debug`'),
    new Option('--strict', 'treat warnings as errors (for CI)'),
    new Option('--no-cache', 'bundle without the compile cache (compile, validation, dry-runs and their instrumented rules): neither read nor write it'),
    new Option('--supported-actions', 'list the actions and exit'),
    new Option('--show-console', "print every console.* line the project's code writes (on stderr), with what was being evaluated"),
  ];
}

/**
 * cht-conf flags that CI scripts pass and that change nothing here, accepted so scripts switch without edits:
 * chtkit never checks npm for updates, never needs the project's cht-conf dependency, and uploads no translations.
 */
export function compatibilityOptions(): Option[] {
  return [
    new Option('--skip-dependency-check').hideHelp(),
    new Option('--skip-version-check').hideHelp(),
    new Option('--skip-git-check').hideHelp(),
    new Option('--skip-translation-check').hideHelp(),
  ];
}

/** cht-conf actions chtkit does not implement: named so the error can say so instead of "unknown". */
export const CHT_CONF_ONLY_ACTIONS = [
  'backup-all-forms', 'check-for-updates', 'check-git', 'compress-images', 'compress-pngs', 'compress-svgs',
  'convert-app-forms', 'convert-collect-forms', 'convert-contact-forms', 'convert-training-forms', 'create-users',
  'csv-to-docs', 'delete-all-forms', 'delete-contacts', 'delete-forms', 'delete-ui-extensions', 'edit-contacts',
  'fetch-csvs-from-google-drive', 'fetch-forms-from-google-drive', 'initialise-project-layout', 'merge-contacts',
  'move-contacts', 'upload-app-forms', 'upload-branding', 'upload-collect-forms', 'upload-contact-forms',
  'upload-custom-translations', 'upload-database-indexes', 'upload-docs', 'upload-extension-libs', 'upload-partners',
  'upload-privacy-policies', 'upload-resources', 'upload-sms-from-csv', 'upload-training-forms',
  'upload-ui-extensions', 'validate-app-forms', 'validate-collect-forms', 'validate-contact-forms',
  'validate-training-forms', 'watch-project',
];
