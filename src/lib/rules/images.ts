import { error, warning } from '../issues.ts';
import { parseImageReference } from '../image-reference.ts';
import { locate, type Rule } from './context.ts';

/** Every image reference parses with the Docker grammar, names a tag or digest, and is not `:latest`. */
export const checkImageReferences: Rule = ({ catalog, issues }) => {
  const byReference = new Map<string, string>();
  for (const entry of catalog.images) {
    // Lines are looked up only for issues: finding one re-parses the file with positions.
    const at = () => locate(entry, ['image']);
    const result = parseImageReference(entry.data.image);
    if (!result.ok) {
      issues.push(
        error(
          result.problem.code,
          at(),
          `Image "${entry.id}": ${result.problem.message}`,
          result.problem.hint,
        ),
      );
      continue;
    }
    const { reference } = result;
    if (reference.tag === undefined && reference.digest === undefined) {
      issues.push(
        error(
          'ImageMissingTag',
          at(),
          `Image "${entry.id}" (${entry.data.image}) names no tag or digest, so every spawn could get a different image.`,
          `add a tag, e.g. ${entry.data.image}:2024-03-18, or a digest (@sha256:...).`,
        ),
      );
    } else if (reference.tag === 'latest' && reference.digest === undefined) {
      issues.push(
        warning(
          'ImageLatestTag',
          at(),
          `Image "${entry.id}" uses the tag "latest", which changes under users' feet and may be cached on nodes.`,
          'pin a dated or versioned tag, or a digest.',
        ),
      );
    }
    if (reference.domain === undefined) {
      issues.push(
        warning(
          'ImageImplicitRegistry',
          at(),
          `Image "${entry.id}" (${entry.data.image}) names no registry, so Docker Hub is used.`,
          `write it in full: docker.io/${reference.path.includes('/') ? '' : 'library/'}${entry.data.image}.`,
        ),
      );
    }
    const pattern = entry.data.updates?.tags;
    if (pattern !== undefined && !compiles(pattern)) {
      issues.push(
        error(
          'BadUpdatesPattern',
          locate(entry, ['updates', 'tags']),
          `Image "${entry.id}": updates.tags ${JSON.stringify(pattern)} is not a valid regular expression, so no tag could be compared with it.`,
          'write a JavaScript regular expression such as ^4\\.3\\. (escape dots with a backslash), or remove the field.',
        ),
      );
    }
    const other = byReference.get(entry.data.image);
    if (other) {
      issues.push(
        warning(
          'DuplicateImageReference',
          at(),
          `Images "${other}" and "${entry.id}" have the same reference ${entry.data.image}.`,
          'keep one image and point profiles at it.',
        ),
      );
    } else {
      byReference.set(entry.data.image, entry.id);
    }
  }
};

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
