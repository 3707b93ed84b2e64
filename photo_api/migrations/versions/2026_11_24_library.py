"""Library: files, collections, memberships, objects, trash, entities, file data.

Revision ID: 2026_11_24_library
Revises: 2026_11_24_accounts
Create Date: 2026-11-24 12:24:36.917764
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from photo_api.migrations.ids import start_ids_at_first_id

revision: str = "2026_11_24_library"
down_revision: str | None = "2026_11_24_accounts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "objects",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=True),
        sa.Column("file_id", sa.BigInteger(), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("backend", sa.String(length=64), nullable=False),
        sa.Column("upload_id", sa.Text(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_objects")),
    )
    with op.batch_alter_table("objects", schema=None) as batch_op:
        batch_op.create_index("ix_objects_file_id", ["file_id"], unique=False)
        batch_op.create_index("ix_objects_state_expires_at", ["state", "expires_at"], unique=False)

    op.create_table(
        "collections",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("encrypted_key", sa.Text(), nullable=False),
        sa.Column("key_decryption_nonce", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("encrypted_name", sa.Text(), nullable=True),
        sa.Column("name_decryption_nonce", sa.Text(), nullable=True),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("magic_metadata", sa.JSON(), nullable=True),
        sa.Column("pub_magic_metadata", sa.JSON(), nullable=True),
        sa.Column("app", sa.String(length=16), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updation_time", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"],
            ["users.id"],
            name=op.f("fk_collections_owner_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collections")),
        sqlite_autoincrement=True,
    )
    start_ids_at_first_id("collections")
    with op.batch_alter_table("collections", schema=None) as batch_op:
        batch_op.create_index(
            "ix_collections_owner_id_app_updation_time",
            ["owner_id", "app", "updation_time"],
            unique=False,
        )
        batch_op.create_index(
            "uq_collections_owner_id_app_type",
            ["owner_id", "app", "type"],
            unique=True,
            sqlite_where=sa.text("type IN ('favorites', 'uncategorized')"),
            postgresql_where=sa.text("type IN ('favorites', 'uncategorized')"),
        )

    op.create_table(
        "entities",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("encrypted_data", sa.Text(), nullable=True),
        sa.Column("header", sa.Text(), nullable=True),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_entities_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entities")),
    )
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.create_index(
            "ix_entities_user_id_type_updated_at", ["user_id", "type", "updated_at"], unique=False
        )

    op.create_table(
        "entity_keys",
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("encrypted_key", sa.Text(), nullable=False),
        sa.Column("header", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_entity_keys_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", "type", name=op.f("pk_entity_keys")),
    )
    op.create_table(
        "files",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("owner_id", sa.BigInteger(), nullable=False),
        sa.Column("encrypted_metadata", sa.Text(), nullable=False),
        sa.Column("metadata_decryption_header", sa.Text(), nullable=False),
        sa.Column("file_decryption_header", sa.Text(), nullable=False),
        sa.Column("thumbnail_decryption_header", sa.Text(), nullable=False),
        sa.Column("magic_metadata", sa.JSON(), nullable=True),
        sa.Column("pub_magic_metadata", sa.JSON(), nullable=True),
        sa.Column("file_size", sa.BigInteger(), nullable=False),
        sa.Column("thumb_size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updation_time", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_files_owner_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_files")),
        sqlite_autoincrement=True,
    )
    start_ids_at_first_id("files")
    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.create_index(
            "ix_files_owner_id_updation_time", ["owner_id", "updation_time"], unique=False
        )

    op.create_table(
        "collection_files",
        sa.Column("collection_id", sa.BigInteger(), nullable=False),
        sa.Column("file_id", sa.BigInteger(), nullable=False),
        sa.Column("encrypted_key", sa.Text(), nullable=False),
        sa.Column("key_decryption_nonce", sa.Text(), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("c_owner_id", sa.BigInteger(), nullable=False),
        sa.Column("f_owner_id", sa.BigInteger(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=True),
        sa.Column("action_user", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updation_time", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collections.id"],
            name=op.f("fk_collection_files_collection_id_collections"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["files.id"],
            name=op.f("fk_collection_files_file_id_files"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("collection_id", "file_id", name=op.f("pk_collection_files")),
    )
    with op.batch_alter_table("collection_files", schema=None) as batch_op:
        batch_op.create_index(
            "ix_collection_files_collection_id_updation_time",
            ["collection_id", "updation_time"],
            unique=False,
        )
        batch_op.create_index("ix_collection_files_file_id", ["file_id"], unique=False)

    op.create_table(
        "file_data",
        sa.Column("file_id", sa.BigInteger(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("object_key", sa.String(length=255), nullable=False),
        sa.Column("object_id", sa.String(length=64), nullable=True),
        sa.Column("object_nonce", sa.Text(), nullable=True),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["files.id"], name=op.f("fk_file_data_file_id_files"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("file_id", "type", name=op.f("pk_file_data")),
    )
    with op.batch_alter_table("file_data", schema=None) as batch_op:
        batch_op.create_index(
            "ix_file_data_user_id_updated_at", ["user_id", "updated_at"], unique=False
        )

    op.create_table(
        "trash",
        sa.Column("file_id", sa.BigInteger(), nullable=False),
        sa.Column("collection_id", sa.BigInteger(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("is_deleted", sa.Boolean(), nullable=False),
        sa.Column("is_restored", sa.Boolean(), nullable=False),
        sa.Column("delete_by", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["files.id"], name=op.f("fk_trash_file_id_files"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_trash_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("file_id", name=op.f("pk_trash")),
    )
    with op.batch_alter_table("trash", schema=None) as batch_op:
        batch_op.create_index("ix_trash_delete_by", ["delete_by"], unique=False)
        batch_op.create_index(
            "ix_trash_user_id_updated_at", ["user_id", "updated_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("trash", schema=None) as batch_op:
        batch_op.drop_index("ix_trash_user_id_updated_at")
        batch_op.drop_index("ix_trash_delete_by")

    op.drop_table("trash")
    with op.batch_alter_table("file_data", schema=None) as batch_op:
        batch_op.drop_index("ix_file_data_user_id_updated_at")

    op.drop_table("file_data")
    with op.batch_alter_table("collection_files", schema=None) as batch_op:
        batch_op.drop_index("ix_collection_files_file_id")
        batch_op.drop_index("ix_collection_files_collection_id_updation_time")

    op.drop_table("collection_files")
    with op.batch_alter_table("files", schema=None) as batch_op:
        batch_op.drop_index("ix_files_owner_id_updation_time")

    op.drop_table("files")
    op.drop_table("entity_keys")
    with op.batch_alter_table("entities", schema=None) as batch_op:
        batch_op.drop_index("ix_entities_user_id_type_updated_at")

    op.drop_table("entities")
    with op.batch_alter_table("collections", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_collections_owner_id_app_type",
            sqlite_where=sa.text("type IN ('favorites', 'uncategorized')"),
            postgresql_where=sa.text("type IN ('favorites', 'uncategorized')"),
        )
        batch_op.drop_index("ix_collections_owner_id_app_updation_time")

    op.drop_table("collections")
    with op.batch_alter_table("objects", schema=None) as batch_op:
        batch_op.drop_index("ix_objects_state_expires_at")
        batch_op.drop_index("ix_objects_file_id")

    op.drop_table("objects")
