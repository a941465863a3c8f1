import type { Viewer } from '@radiata/auth-context';
import { badUserInput, conflict, notFound } from '@radiata/errors';
import { isId, isUniqueViolation, newId, requireRole, validateInput } from '@radiata/service-runtime';
import { z } from 'zod';
import type { Category } from '../generated/prisma/client.js';
import type { Database } from '../persistence/database.js';

export type CategoryRecord = Category;

const categoryName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');
const createCategoryInput = z.object({
  name: categoryName,
  parentId: z.string().refine(isId, 'is not a category id').nullish(),
});

/** The whole tree in memory: categories are few (hundreds) and read on every listing. */
export class CategoryTree {
  private readonly byId: Map<string, CategoryRecord>;
  private readonly childrenOf = new Map<string | null, CategoryRecord[]>();

  constructor(categories: readonly CategoryRecord[]) {
    this.byId = new Map(categories.map((category) => [category.id, category]));
    const byName = [...categories].sort((a, b) => a.name.localeCompare(b.name));
    for (const category of byName) {
      const siblings = this.childrenOf.get(category.parentId) ?? [];
      siblings.push(category);
      this.childrenOf.set(category.parentId, siblings);
    }
  }

  get(id: string): CategoryRecord | undefined {
    return this.byId.get(id);
  }

  roots(): CategoryRecord[] {
    return this.childrenOf.get(null) ?? [];
  }

  children(id: string): CategoryRecord[] {
    return this.childrenOf.get(id) ?? [];
  }

  /** The category and every category below it. */
  subtree(id: string): string[] {
    const ids: string[] = [];
    const stack = [id];
    for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
      ids.push(next);
      stack.push(...this.children(next).map((child) => child.id));
    }
    return ids;
  }
}

/** The category tree: anyone reads it, only admins change it. */
export class Categories {
  constructor(private readonly db: Database) {}

  async tree(): Promise<CategoryTree> {
    return new CategoryTree(await this.db.category.findMany());
  }

  /** ADMIN only. An unknown parent: BAD_USER_INPUT; a sibling of the same name (any case): CONFLICT. */
  async create(viewer: Viewer | null, input: unknown): Promise<CategoryRecord> {
    requireRole(viewer, 'ADMIN');
    const { name, parentId } = validateInput(createCategoryInput, input);
    if (parentId && !(await this.db.category.findUnique({ where: { id: parentId } }))) {
      throw badUserInput('input.parentId: no such category', [
        { field: 'input.parentId', message: 'no such category' },
      ]);
    }
    return this.uniqueName(name, () =>
      this.db.category.create({ data: { id: newId(), name, parentId: parentId ?? null } }),
    );
  }

  /** ADMIN only. Unknown id: NOT_FOUND; a sibling of the same name: CONFLICT. */
  async rename(viewer: Viewer | null, id: string, rawName: string): Promise<CategoryRecord> {
    requireRole(viewer, 'ADMIN');
    const name = validateInput(categoryName, rawName, 'name');
    await this.get(id);
    return this.uniqueName(name, () => this.db.category.update({ where: { id }, data: { name } }));
  }

  /** ADMIN only; only a category without children or products, deleted ones included (CONFLICT otherwise). */
  async delete(viewer: Viewer | null, id: string): Promise<void> {
    requireRole(viewer, 'ADMIN');
    await this.get(id);
    await this.db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM categories WHERE id = ${id}::uuid FOR UPDATE`;
      const [children, products] = await Promise.all([
        tx.category.count({ where: { parentId: id } }),
        tx.product.count({ where: { categoryId: id } }),
      ]);
      if (children > 0 || products > 0) {
        throw conflict('Only a category without subcategories or products (deleted ones included) can be deleted');
      }
      await tx.category.delete({ where: { id } });
    });
  }

  private async get(id: string): Promise<CategoryRecord> {
    const category = isId(id) ? await this.db.category.findUnique({ where: { id } }) : null;
    if (!category) throw notFound('Category');
    return category;
  }

  private async uniqueName(name: string, write: () => Promise<CategoryRecord>): Promise<CategoryRecord> {
    try {
      return await write();
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`A sibling category named "${name}" already exists`);
      throw error;
    }
  }
}
