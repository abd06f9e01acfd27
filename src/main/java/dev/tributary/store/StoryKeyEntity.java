package dev.tributary.store;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A key (canonical link, guid URL) that identifies at most one story, stored as its hash ({@link StoryKeys}). */
@Entity
@Table(name = "story_key")
public class StoryKeyEntity extends PanacheEntityBase {
    @Id
    @Column(name = "key_hash")
    public Long keyHash;
    @Column(name = "key_check")
    public Integer keyCheck;
    @Column(name = "story_id")
    public Long storyId;
}
