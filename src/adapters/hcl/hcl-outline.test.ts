// The outline scanner finds block and attribute lines through strings, heredocs and comments.
import { describe, expect, it } from 'vitest';
import { childBlocks } from '../../model/hcl-outline.js';
import { buildHclOutline } from './hcl-outline.js';

const SOURCE = `# a comment with a { brace
job "web" {
  datacenters = ["home"] // trailing { comment
  meta = {
    owner = "me"
  }
  group "app" {
    network {
      port "http" { to = 8080 }
      port "admin" {
        static = 9000
      }
    }
    task "server" {
      config {
        image = "nginx:1.27"
        args = [
          "--flag={",
        ]
      }
      template {
        data = <<EOH
group "fake" {
  not = "a block"
}
EOH
        destination = "local/x"
      }
      env {
        A = "\${var.x} } {"
      }
    }
    service {
      name = "one"
    }
    /* block comment
       service { } */
    service {
      name = "two"
    }
  }
}
`;

describe('buildHclOutline', () => {
  const outline = buildHclOutline(SOURCE);
  const job = outline[0]!;
  const group = childBlocks(job, 'group', 'app')[0]!;

  it('finds labelled blocks with their line and column', () => {
    expect(outline).toHaveLength(1);
    expect(job).toMatchObject({ type: 'job', labels: ['web'], line: 2, column: 1 });
    expect(group).toMatchObject({ line: 7, column: 3 });
  });

  it('does not mistake an object attribute for a block', () => {
    expect(childBlocks(job, 'meta')).toHaveLength(0);
    expect(job.attributes).toMatchObject({ datacenters: 3, meta: 4 });
  });

  it('finds one-line blocks and attribute lines inside blocks', () => {
    const network = childBlocks(group, 'network')[0]!;
    expect(childBlocks(network, 'port').map((p) => [p.labels[0], p.line])).toEqual([
      ['http', 9],
      ['admin', 10],
    ]);
    const config = childBlocks(childBlocks(group, 'task', 'server')[0], 'config')[0]!;
    expect(config.attributes.image).toBe(16);
  });

  it('skips heredocs, strings with braces and comments', () => {
    expect(childBlocks(group, 'group')).toHaveLength(0);
    const task = childBlocks(group, 'task', 'server')[0]!;
    expect(childBlocks(task, 'template')[0]!.attributes.destination).toBe(27);
    expect(childBlocks(group, 'service').map((s) => s.line)).toEqual([33, 38]);
  });

  it('returns what it found when the text is cut short', () => {
    const partial = buildHclOutline('job "x" {\n  group "g" {\n    task "t" {\n');
    expect(partial[0]!.blocks[0]!.blocks[0]).toMatchObject({ type: 'task', line: 3 });
  });
});
